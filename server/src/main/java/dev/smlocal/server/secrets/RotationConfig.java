package dev.smlocal.server.secrets;

/** Stored rotation settings of a secret. */
public record RotationConfig(boolean enabled, String lambdaArn, RotationRules rules) {}
