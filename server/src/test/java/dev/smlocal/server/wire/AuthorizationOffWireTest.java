package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smlocal.server.EmulatorConfig;
import org.junit.jupiter.api.Test;

/** {@code --authorization off}: every caller may do everything, as before authorization existed. */
class AuthorizationOffWireTest extends WireSupport {
    @Override
    protected EmulatorConfig config() {
        return super.config().toBuilder().authorization(false).build();
    }

    @Test
    void anotherAccountReadsAndWritesWithoutAnyPolicy() {
        String keyArn = kms("us-east-1", "444455556666").createKey(b -> { }).keyMetadata().arn();
        String arn = sm("us-east-1", "444455556666").createSecret(b -> b.name("open").kmsKeyId(keyArn).secretString("v"))
                .arn();
        sm("us-east-1", "444455556666").putResourcePolicy(b -> b.secretId(arn).resourcePolicy("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));

        sm("us-east-1", OTHER_ACCOUNT).putSecretValue(b -> b.secretId(arn).secretString("changed"));

        assertEquals("changed", sm("us-east-1", OTHER_ACCOUNT).getSecretValue(b -> b.secretId(arn)).secretString());
    }
}
