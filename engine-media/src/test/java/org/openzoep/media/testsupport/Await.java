package org.openzoep.media.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, failing with a message when the deadline passes. */
public final class Await {

    private Await() {
    }

    /** Polls {@code condition} every 200 microseconds until it holds or {@code timeout} passes. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Checks that {@code condition} holds all through {@code period} (something must NOT happen:
     * a thread stays blocked, a counter stays still), failing as soon as it does not.
     */
    public static void stays(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("no longer true: " + what);
            }
            LockSupport.parkNanos(200_000);
        } while (System.nanoTime() - end < 0);
    }
}
