package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.IdGenerator;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.kms.EmulatedKms;
import dev.smlocal.server.secrets.SecretsApi.*;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of writes to one secret: AWS keeps every version younger than 24 hours, so a client
 * writing in a loop leaves thousands of them. Labels, reads and the deprecation rule still behave
 * with {@link Secret}'s label and deprecation indexes (which keep a write from scanning the version
 * list; the speed itself is reported by {@code bench wire}, not asserted here).
 */
class ManyVersionsTest {
    private static final int PUTS = 1_000;
    private final EmulatorClock clock = EmulatorClock.manual(Instant.parse("2026-02-01T00:00:00Z"));
    private final Scheduler scheduler = new Scheduler(clock);
    private final SecretsService service = new SecretsService(new Stores(), new EmulatedKms(clock), scheduler, new IdGenerator(7));
    private final RequestContext ctx = new RequestContext("000000000000", "us-east-1", "test");

    @AfterEach
    void close() {
        scheduler.close();
    }

    private static String token(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    @Test
    void aBurstKeepsEveryYoungVersionAndTheLabelsFollowTheLastWrites() {
        service.createSecret(ctx, new CreateSecretRequest("burst", token(0), null, null, null, "v0", null, null, null, null));
        for (int i = 1; i <= PUTS; i++) {
            service.putSecretValue(ctx, new PutSecretValueRequest("burst", token(i), null, "v" + i, null, null));
        }

        assertEquals(PUTS + 1, allVersions().size(), "no version younger than 24 hours is dropped");
        assertEquals(Map.of(token(PUTS), List.of(Secret.CURRENT), token(PUTS - 1), List.of(Secret.PREVIOUS)),
                service.describeSecret(ctx, new SecretIdRequest("burst")).versionIdsToStages());
        assertEquals("v" + PUTS, read(null, null));
        assertEquals("v" + (PUTS - 1), read(null, Secret.PREVIOUS));
        assertEquals("v17", read(token(17), null), "a deprecated version is still readable by its id");
    }

    @Test
    void aDayLaterTheNextWriteDropsTheOldestDeprecatedVersionsDownToTheQuota() {
        service.createSecret(ctx, new CreateSecretRequest("burst", token(0), null, null, null, "v0", null, null, null, null));
        for (int i = 1; i <= PUTS; i++) {
            service.putSecretValue(ctx, new PutSecretValueRequest("burst", token(i), null, "v" + i, null, null));
        }
        scheduler.advance(Duration.ofHours(25));
        service.putSecretValue(ctx, new PutSecretValueRequest("burst", token(PUTS + 1), null, "last", null, null));

        List<SecretVersionsListEntry> left = allVersions();
        // AWSCURRENT, AWSPREVIOUS and the 100 newest deprecated versions, oldest first
        assertEquals(Secret.MAX_DEPRECATED + 2, left.size());
        List<String> expected = new ArrayList<>();
        for (int i = PUTS - Secret.MAX_DEPRECATED; i <= PUTS + 1; i++) expected.add(token(i));
        assertEquals(expected, left.stream().map(SecretVersionsListEntry::versionId).toList());
        AwsException gone = assertThrows(AwsException.class, () -> read(token(1), null));
        assertEquals("Secrets Manager can't find the specified secret value for VersionId: " + token(1), gone.getMessage());
        assertEquals("v" + PUTS, read(null, Secret.PREVIOUS));
    }

    private String read(String versionId, String stage) {
        return service.getSecretValue(ctx, new GetSecretValueRequest("burst", versionId, stage)).secretString();
    }

    private List<SecretVersionsListEntry> allVersions() {
        List<SecretVersionsListEntry> out = new ArrayList<>();
        String next = null;
        do {
            ListSecretVersionIdsResponse page = service.listSecretVersionIds(ctx, new ListSecretVersionIdsRequest("burst", 100, next, true));
            out.addAll(page.versions());
            next = page.nextToken();
        } while (next != null);
        return out;
    }
}
