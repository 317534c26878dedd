package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The scope read by position gives what splitting the credential on '/' gives, for any credential. */
class SigV4ScopePropertyTest {
    @Property(tries = 2000)
    void sameAsSplitting(@ForAll @Chars({'/', '-', ' '}) @CharRange(from = 'a', to = 'c')
                         @StringLength(max = 24) String cred) {
        String[] p = cred.split("/");
        SigV4Scope.Scope expected = p.length < 5 ? null : new SigV4Scope.Scope(p[0], p[2], p[3]);
        assertEquals(expected, SigV4Scope.scopeOf(cred));
    }
}
