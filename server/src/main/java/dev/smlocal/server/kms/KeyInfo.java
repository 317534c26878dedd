package dev.smlocal.server.kms;

/** What Secrets Manager needs to know about a resolved KMS key. */
public record KeyInfo(
        String keyId,
        String arn,
        String account,
        String region,
        KeyState state,
        boolean awsManaged,
        boolean multiRegion) {}
