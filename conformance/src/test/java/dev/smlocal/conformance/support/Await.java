package dev.smlocal.conformance.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting: emulator time is advanced, real time is polled. */
public final class Await {
    private Await() {}

    /**
     * Returns once {@code condition} holds: with emulator powers by advancing the emulator clock in
     * {@code emulatorStep}s (at most 10 minutes of emulated time), otherwise by polling real time
     * for at most {@code realLimit}.
     */
    public static void until(java.util.Optional<EmulatorPowers> powers, String what, BooleanSupplier condition,
                             Duration emulatorStep, Duration realLimit) {
        if (condition.getAsBoolean()) return;
        if (powers.isPresent()) {
            // a generous bound of emulated time: 10 minutes in steps of the replication lag
            long steps = Duration.ofMinutes(10).toMillis() / emulatorStep.toMillis();
            for (long i = 0; i < steps; i++) {
                powers.get().advance(emulatorStep);
                if (condition.getAsBoolean()) return;
            }
            throw new AssertionError("not so after 10 minutes of emulator time: " + what);
        }
        poll(what, condition, realLimit);
    }

    public static void poll(String what, BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long sleep = 500;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not so after " + limit + ": " + what);
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
            sleep = Math.min(sleep * 2, 10_000);
        }
    }
}
