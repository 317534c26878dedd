package dev.smlocal.server.kms;

/** KMS key states as the KMS API names them. */
public enum KeyState {
    Creating, Enabled, Disabled, PendingDeletion, PendingReplicaDeletion, Updating, Unavailable, PendingImport;
}
