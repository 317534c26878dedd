package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.EmulatedKms;
import dev.smlocal.server.secrets.RotationRules;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.secrets.SecretsService;
import dev.smlocal.server.secrets.Stores;
import dev.smlocal.server.secrets.Tag;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The hand-written answer writers ({@link AnswerWriters}) put the same bytes on the wire as
 * Jackson's bean serializer did for the same records: member names and order, absent members
 * left out, escaping, base64 and timestamps.
 */
class AnswerWritersTest {
    private static final ObjectMapper BEANS = Json.beanMapper();

    private static void same(Object answer) throws Exception {
        String expected = new String(BEANS.writeValueAsBytes(answer), StandardCharsets.UTF_8);
        String actual = new String(Json.MAPPER.writeValueAsBytes(answer), StandardCharsets.UTF_8);
        assertEquals(expected, actual);
    }

    @Property(tries = 300)
    void everyMemberPresentOrAbsentIsWrittenAsTheBeanSerializerWroteIt(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        List<SecretListEntry> page = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) page.add(listEntry(r));
        same(new ListSecretsResponse(page, str(r)));
        same(listEntry(r));
        same(describe(r));
        same(valueEntry(r));
        same(new BatchGetSecretValueResponse(List.of(valueEntry(r), valueEntry(r)), str(r), null));
    }

    @Test
    void allMembersAbsent() throws Exception {
        same(new SecretListEntry(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null));
        same(new DescribeSecretResponse(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null));
        same(new SecretValueEntry(null, null, null, null, null, null, null));
        same(new ListSecretsResponse(null, null));
        same(new ListSecretsResponse(List.of(), null));
    }

    /**
     * An estate built through the service: tags, a binary value, no description, a deleted secret,
     * an owning service's kind of name, a rotation configuration, then every answer both ways.
     */
    @Test
    void aVariedEstateListsDescribesAndReadsTheSame() throws Exception {
        EmulatorClock clock = EmulatorClock.manual(Instant.parse("2026-02-01T00:00:00.123Z"));
        Scheduler scheduler = new Scheduler(clock);
        try {
            SecretsService sm = new SecretsService(new Stores(), new EmulatedKms(clock), scheduler, new IdGenerator(7));
            RequestContext ctx = new RequestContext("000000000000", "us-east-1", "test");
            sm.createSecret(ctx, new CreateSecretRequest("plain", "00000000-0000-4000-8000-000000000001", null, null, null, "v", null, null, null, null));
            sm.createSecret(ctx, new CreateSecretRequest("tagged/x+y=z.@!", "00000000-0000-4000-8000-000000000002", "a \n description \u0001", null,
                    null, "{\"k\":\"v\"}", List.of(new Tag("env", "prod"), new Tag("empty", "")), null, null, null));
            sm.createSecret(ctx, new CreateSecretRequest("binary", "00000000-0000-4000-8000-000000000003", "bin", null, new byte[] {0, 1, 2, (byte) 255, 64},
                    null, null, null, null, null));
            sm.createSecret(ctx, new CreateSecretRequest("gone", "00000000-0000-4000-8000-000000000004", "to delete", null, null, "x", null, null, null, null));
            sm.putSecretValue(ctx, new PutSecretValueRequest("plain", "00000000-0000-4000-8000-000000000005", null, "v2", List.of("AWSCURRENT", "custom"), null));
            sm.deleteSecret(ctx, new DeleteSecretRequest("gone", 7L, null));
            sm.getSecretValue(ctx, new GetSecretValueRequest("plain", null, null)); // a LastAccessedDate
            ListSecretsResponse all = sm.listSecrets(ctx, new ListSecretsRequest(true, 100, null, null, null, null));
            assertEquals(4, all.secretList().size());
            same(all);
            same(sm.listSecrets(ctx, new ListSecretsRequest(null, 1, null, null, "asc", "name")));
            for (String id : List.of("plain", "tagged/x+y=z.@!", "binary", "gone")) {
                same(sm.describeSecret(ctx, new SecretIdRequest(id)));
            }
            for (String id : List.of("plain", "tagged/x+y=z.@!", "binary")) {
                same(sm.getSecretValue(ctx, new GetSecretValueRequest(id, null, null)));
            }
        } finally {
            scheduler.close();
        }
    }

    // ---- generated records: each component absent or present, strings that need escaping --------

    private static String str(Random r) {
        if (r.nextInt(3) == 0) return null;
        String[] parts = {"a", "Name/With-Chars_+=.@", "é", "✓", "\"", "\\", "\n", "\u0000", "\u001f", "\t", "😀", "</", "", " "};
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(5); i > 0; i--) b.append(parts[r.nextInt(parts.length)]);
        return b.toString();
    }

    private static Boolean bool(Random r) {
        int n = r.nextInt(3);
        return n == 0 ? null : n == 1;
    }

    private static Instant time(Random r) {
        if (r.nextInt(3) == 0) return null;
        long[] edges = {0L, 1L, -1L, -1500L, 999L, 1_523_477_145_729L, 4_102_444_800_000L, -62_135_596_800_000L};
        return r.nextBoolean() ? Instant.ofEpochMilli(edges[r.nextInt(edges.length)])
                : Instant.ofEpochMilli(r.nextLong() % 10_000_000_000_000L);
    }

    private static <T> List<T> list(Random r, java.util.function.Supplier<T> element) {
        if (r.nextInt(3) == 0) return null;
        List<T> out = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) out.add(r.nextInt(8) == 0 ? null : element.get());
        return out;
    }

    private static RotationRules rules(Random r) {
        if (r.nextInt(3) == 0) return null;
        return new RotationRules(r.nextBoolean() ? null : (long) r.nextInt(1000), str(r), str(r));
    }

    private static Map<String, List<String>> stages(Random r) {
        if (r.nextInt(3) == 0) return null;
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            m.put("v" + i + (r.nextBoolean() ? "" : "é\""), r.nextInt(6) == 0 ? null : list(r, () -> str(r)));
        }
        return m;
    }

    private static SecretListEntry listEntry(Random r) {
        return new SecretListEntry(str(r), str(r), str(r), str(r), str(r), bool(r), str(r), rules(r),
                list(r, () -> new MetadataItem(str(r), str(r))), str(r), time(r), time(r), time(r), time(r), time(r),
                list(r, () -> new Tag(str(r), str(r))), stages(r), str(r), time(r), str(r));
    }

    private static DescribeSecretResponse describe(Random r) {
        return new DescribeSecretResponse(str(r), str(r), str(r), str(r), str(r), bool(r), str(r), rules(r),
                list(r, () -> new MetadataItem(str(r), str(r))), str(r), time(r), time(r), time(r), time(r), time(r),
                list(r, () -> new Tag(str(r), str(r))), stages(r), str(r), time(r), str(r),
                list(r, () -> new ReplicationStatusEntry(str(r), str(r), str(r), str(r), time(r))));
    }

    private static SecretValueEntry valueEntry(Random r) {
        byte[] binary = null;
        if (r.nextInt(3) == 0) {
            binary = new byte[r.nextInt(70)];
            r.nextBytes(binary);
        }
        return new SecretValueEntry(str(r), str(r), str(r), binary, str(r), list(r, () -> str(r)), time(r));
    }
}
