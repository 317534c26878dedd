package dev.smlocal.server.secrets;

import java.util.List;

/**
 * What ListSecrets filters look at, detached from the stored secret.
 *
 * @param name the secret's name
 * @param description the description, or {@code null}
 * @param tags the tags, or {@code null} for none
 * @param primaryRegion the primary Region of a replicated secret (primary or replica); {@code null} if
 *     the secret takes no part in replication
 * @param owningService the owning service id (e.g. {@code rds}), or {@code null}
 */
public record SecretFacts(String name, String description, List<Tag> tags, String primaryRegion,
        String owningService) {
    public SecretFacts {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
