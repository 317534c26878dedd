package dev.smlocal.server.time;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The emulator's only source of time. In {@link Mode#SYSTEM} it follows the wall clock; in
 * {@link Mode#MANUAL} it stands still until the {@link Scheduler} moves it, which runs every task
 * that falls due on the way. Time never goes backwards in either mode: switching from system to
 * manual freezes the current instant, and manual moves to an earlier instant are refused.
 *
 * <p>Thread-safe. Instants are truncated to milliseconds, the precision AWS reports.
 */
public final class EmulatorClock {
    public enum Mode { SYSTEM, MANUAL }

    private volatile Mode mode;
    private volatile Instant manualNow;
    private final Instant startInstant;

    private EmulatorClock(Mode mode, Instant start) {
        this.mode = mode;
        this.startInstant = start.truncatedTo(ChronoUnit.MILLIS);
        this.manualNow = this.startInstant;
    }

    /** A clock following the wall clock. */
    public static EmulatorClock system() {
        return new EmulatorClock(Mode.SYSTEM, wallNow());
    }

    /** A clock standing at {@code start} until advanced. */
    public static EmulatorClock manual(Instant start) {
        return new EmulatorClock(Mode.MANUAL, Objects.requireNonNull(start, "start"));
    }

    /** A manual clock starting at the current wall-clock instant. */
    public static EmulatorClock manualFromNow() {
        return manual(wallNow());
    }

    static Instant wallNow() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public Instant now() {
        return mode == Mode.SYSTEM ? wallNow() : manualNow;
    }

    public Mode mode() {
        return mode;
    }

    /** The instant the clock was created with; {@code reset} returns a manual clock here. */
    public Instant startInstant() {
        return startInstant;
    }

    synchronized void switchTo(Mode newMode) {
        if (newMode == mode) return;
        if (newMode == Mode.MANUAL) {
            manualNow = wallNow();
        }
        mode = newMode;
    }

    /** Moves manual time forward to {@code instant}; package-private: only the scheduler moves time. */
    synchronized void moveTo(Instant instant) {
        if (mode != Mode.MANUAL) {
            throw new IllegalStateException("the clock is in system mode; switch it to manual before moving it");
        }
        Instant target = instant.truncatedTo(ChronoUnit.MILLIS);
        if (target.isBefore(manualNow)) {
            throw new IllegalArgumentException("time cannot go backwards: now " + manualNow + ", asked " + target);
        }
        manualNow = target;
    }

    /**
     * Sets mode and (manual) time as a state document recorded them, earlier instants included:
     * only for restoring a whole state, when nothing is scheduled. A system clock ignores {@code now}.
     */
    synchronized void restore(Mode newMode, Instant now) {
        if (newMode == Mode.MANUAL) manualNow = Objects.requireNonNull(now, "now").truncatedTo(ChronoUnit.MILLIS);
        mode = newMode;
    }

    /** Resets a manual clock to its start instant (part of the emulator reset). */
    synchronized void rewindToStart() {
        if (mode == Mode.MANUAL) {
            manualNow = startInstant;
        }
    }

    @Override
    public String toString() {
        return mode + "@" + now();
    }

    /** Parses {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 0} or an ISO-8601 duration. */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.equals("0")) return Duration.ZERO;
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase());
            } catch (java.time.format.DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(t);
        if (!m.matches()) throw notADuration(text);
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofDays(n);
        }
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("not a duration (use 250ms, 2s, 5m, 1h, 1d or PT0.25S): " + text);
    }
}
