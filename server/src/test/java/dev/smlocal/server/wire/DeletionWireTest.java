package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.*;

/** DeleteSecret, RestoreSecret and the recovery window on the manual clock. */
class DeletionWireTest extends WireSupport {

    @Test
    void scheduledDeletionHidesTheSecretAndRefusesReads() {
        sm().createSecret(b -> b.name("s").secretString("v"));

        DeleteSecretResponse del = sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(7L));

        assertEquals(START.plus(Duration.ofDays(7)), del.deletionDate());
        assertEquals(START, sm().describeSecret(b -> b.secretId("s")).deletedDate());
        assertTrue(sm().listSecrets(b -> { }).secretList().isEmpty());
        assertEquals(1, sm().listSecrets(b -> b.includePlannedDeletion(true)).secretList().size());
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> sm().getSecretValue(b -> b.secretId("s")));
        assertEquals("You can't perform this operation on the secret because it was marked for deletion.",
                e.awsErrorDetails().errorMessage());
        InvalidRequestException e2 = assertThrows(InvalidRequestException.class,
                () -> sm().createSecret(b -> b.name("s").secretString("v2")));
        assertEquals("You can't create this secret because a secret with this name is already scheduled for deletion.",
                e2.awsErrorDetails().errorMessage());
    }

    @Test
    void secretIsPurgedWhenTheWindowElapsesOnTheEmulatorClock() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(7L));

        advance(Duration.ofDays(7).minusSeconds(1));
        assertNotNull(sm().describeSecret(b -> b.secretId("s")).deletedDate());
        advance(Duration.ofSeconds(1));

        assertThrows(ResourceNotFoundException.class, () -> sm().describeSecret(b -> b.secretId("s")));
        String newArn = sm().createSecret(b -> b.name("s").secretString("again")).arn();
        assertTrue(newArn.startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:s-"));
    }

    @Test
    void defaultWindowIsThirtyDays() {
        sm().createSecret(b -> b.name("s").secretString("v"));

        assertEquals(START.plus(Duration.ofDays(30)), sm().deleteSecret(b -> b.secretId("s")).deletionDate());
    }

    @Test
    void restoreCancelsThePurge() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(7L));

        sm().restoreSecret(b -> b.secretId("s"));
        advance(Duration.ofDays(8));

        assertEquals("v", sm().getSecretValue(b -> b.secretId("s")).secretString());
        assertNull(sm().describeSecret(b -> b.secretId("s")).deletedDate());
    }

    @Test
    void forceDeleteRemovesAtOnceEvenWhenAlreadyScheduled() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().deleteSecret(b -> b.secretId("s"));

        DeleteSecretResponse forced = sm().deleteSecret(b -> b.secretId("s").forceDeleteWithoutRecovery(true));

        assertEquals(START, forced.deletionDate());
        assertThrows(ResourceNotFoundException.class, () -> sm().describeSecret(b -> b.secretId("s")));
    }

    @Test
    void forceDeleteOfAMissingSecretSucceeds() {
        DeleteSecretResponse r = sm().deleteSecret(b -> b.secretId("never-existed").forceDeleteWithoutRecovery(true));

        assertEquals("never-existed", r.name());
        assertNotNull(r.arn());
    }

    @Test
    void plainDeleteOfAMissingSecretIsNotFound() {
        assertThrows(ResourceNotFoundException.class, () -> sm().deleteSecret(b -> b.secretId("never-existed")));
    }

    @Test
    void windowOutOfRangeAndWindowWithForceAreRefused() {
        sm().createSecret(b -> b.name("s").secretString("v"));

        InvalidParameterException range = assertThrows(InvalidParameterException.class,
                () -> sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(6L)));
        InvalidParameterException both = assertThrows(InvalidParameterException.class,
                () -> sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(7L).forceDeleteWithoutRecovery(true)));

        assertEquals("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).", range.awsErrorDetails().errorMessage());
        assertEquals("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
                both.awsErrorDetails().errorMessage());
        sm().deleteSecret(b -> b.secretId("s").recoveryWindowInDays(7L).forceDeleteWithoutRecovery(false));
    }

    @Test
    void tagsOnAScheduledSecretAreRefused() {
        sm().createSecret(b -> b.name("s").secretString("v"));
        sm().deleteSecret(b -> b.secretId("s"));

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sm().tagResource(b -> b.secretId("s").tags(Tag.builder().key("k").value("v").build())));

        assertEquals("You can't perform this operation on the secret because it was marked for deletion.",
                e.awsErrorDetails().errorMessage());
    }
}
