package dev.smlocal.server.secrets;

import java.util.List;

/** A ListSecrets / BatchGetSecretValue filter: a key and values (a leading {@code !} negates). */
public record Filter(String key, List<String> values) {}
