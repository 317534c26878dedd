package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code shared(true)}: classes with the same configuration share one server for the whole run
 * (the root store), a different configuration gets its own, and the run's end stops them all.
 */
class SharedServerTest {

    @Test
    void classesWithTheSameConfigurationShareOneServerUntilTheRunEnds() {
        EngineExecutionResults results = RunOnlyInEngineTestKit.Condition.engine(FirstUser.class)
                .selectors(DiscoverySelectors.selectClass(SecondUser.class),
                        DiscoverySelectors.selectClass(OtherConfiguration.class))
                .execute();

        assertEquals(3, results.testEvents().succeeded().count());
        assertNotNull(FirstUser.endpoint);
        assertEquals(FirstUser.endpoint, SecondUser.endpoint);
        assertNotEquals(FirstUser.endpoint, OtherConfiguration.endpoint);
        assertThrows(ConnectException.class, () -> ProgrammaticInstanceTest.health(FirstUser.endpoint));
        assertThrows(ConnectException.class, () -> ProgrammaticInstanceTest.health(OtherConfiguration.endpoint));
    }

    @RunOnlyInEngineTestKit
    static class FirstUser {
        @RegisterExtension
        static final SmLocalExtension SM = SmLocalExtension.builder().regions("us-west-2").shared(true).build();
        static URI endpoint;

        @Test
        void test(SmLocal smlocal) {
            endpoint = smlocal.endpoint();
        }
    }

    @RunOnlyInEngineTestKit
    static class SecondUser {
        @RegisterExtension
        static final SmLocalExtension SM = SmLocalExtension.builder().regions("us-west-2").shared(true).build();
        static URI endpoint;

        @Test
        void test(SmLocal smlocal) {
            endpoint = smlocal.endpoint();
        }
    }

    @RunOnlyInEngineTestKit
    static class OtherConfiguration {
        @RegisterExtension
        static final SmLocalExtension SM = SmLocalExtension.builder().regions("us-west-2").seed(99).shared(true).build();
        static URI endpoint;

        @Test
        void test(SmLocal smlocal) {
            endpoint = smlocal.endpoint();
        }
    }
}
