package dev.smlocal.server.secrets;

/** RotationRules as the API names them. */
public record RotationRules(Long automaticallyAfterDays, String duration, String scheduleExpression) {}
