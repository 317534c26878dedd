package dev.smlocal.server.persist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.faults.FaultPlan;
import dev.smlocal.server.kms.EmulatedKms;
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

    EmulatedKms kms();

    Replicator replicator();

    Principals principals();

    RotationFunctions rotationFunctions();

    /** The whole state as one document (values sealed unless {@code clearValues}). */
    ObjectNode exportState(boolean clearValues);

    /** Plans the timed work a restored state implies, in one place. */
    void reconcileTimedWork();
}
