package dev.smlocal.server.persist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultPlan;
import dev.smlocal.server.kms.KmsState;
import dev.smlocal.server.kms.Kms;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.rotation.RotationFunctions;
import dev.smlocal.server.secrets.SecretsService;
import dev.smlocal.server.time.EmulatorClock;
import dev.smlocal.server.time.Scheduler;

/**
 * What persistence reads and restores: the emulator's parts. The emulator implements it, so this
 * package knows the parts, not the wiring (no package cycle through the root).
 */
public interface EmulatorParts {
    String version();

    EmulatorClock clock();

    Scheduler scheduler();

    FaultPlan faults();

    SecretsService secrets();

    /** The KMS that seals and opens secret values (the emulated one or a custom one). */
    Kms kms();

    /**
     * The emulated KMS whose keys and aliases the state document and the journal hold, or null when
     * the emulator runs a custom {@code Kms} that does not use it: persistence and snapshots cover
     * the emulated KMS only; a custom KMS keeps (and persists) its keys itself.
     */
    KmsState kmsState();

    Replicator replicator();

    Principals principals();

    RotationFunctions rotationFunctions();

    /** The whole state as one document (values sealed unless {@code clearValues}). */
    ObjectNode exportState(boolean clearValues);

    /** Plans the timed work a restored state implies, in one place. */
    void reconcileTimedWork();
}
