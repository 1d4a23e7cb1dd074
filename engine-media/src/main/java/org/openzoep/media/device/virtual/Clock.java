package org.openzoep.media.device.virtual;

import java.util.concurrent.locks.LockSupport;

/** Monotonic time for pacing a virtual device. */
public interface Clock {

    /** Monotonic nanoseconds. */
    long nanoTime();

    /**
     * Blocks the calling (audio) thread until {@link #nanoTime()} reaches {@code deadline}.
     * Allocation-free for the system clock.
     *
     * @return false if interrupted before the deadline
     */
    boolean awaitUntil(long deadline);

    /** The system's monotonic clock ({@link System#nanoTime()}), waiting with {@code LockSupport.parkNanos}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** See {@link Clock#system()}. */
    final class SystemClock implements Clock {
        private static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public boolean awaitUntil(long deadline) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                LockSupport.parkNanos(left);
            }
            return true;
        }
    }
}
