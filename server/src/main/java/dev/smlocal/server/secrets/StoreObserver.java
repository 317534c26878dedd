package dev.smlocal.server.secrets;

import java.util.Set;

/**
 * Told which secrets an outermost {@link RegionalStore#locked} section touched, while the lock is
 * still held, so their new state can be read consistently (persistence: docs/PERSISTENCE.md). A
 * store without an observer (in memory, the default) pays one null check per section.
 */
public interface StoreObserver {
    /** Whether the current thread's sections are to be recorded (false inside a read-only request). */
    boolean recording();

    /**
     * {@code names} were looked up, added or removed in a section that just ended; the store's lock
     * is held. Some may be unchanged; a name no longer in the store was removed.
     */
    void touched(RegionalStore store, Set<String> names);
}
