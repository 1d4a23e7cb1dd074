package org.openzoep.media.device.virtual;

/**
 * A clock that moves only when {@link #advance} is called: deterministic pacing for tests.
 *
 * <p>Thread: the audio thread waits in {@link #awaitUntil} on this object's monitor; any thread
 * advances it. The monitor is a lock the audio thread takes, which is acceptable in tests only.
 */
public final class ManualClock implements Clock {

    private long now;
    private int waiters;

    /** Threads currently blocked in {@link #awaitUntil}: lets a test advance only once the loop waits. */
    public synchronized int waiters() {
        return waiters;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /** Moves time forward and wakes waiters. */
    public synchronized void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward");
        }
        now += nanos;
        notifyAll();
    }

    @Override
    public synchronized boolean awaitUntil(long deadline) {
        waiters++;
        try {
            while (now < deadline) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            waiters--;
        }
    }
}
