package org.openzoep.media;

/** A clock that moves only when a test advances it. */
public final class FakeClock implements MediaClock {

    private volatile long nanos;
    private final long epochMillisAtZero;

    public FakeClock(long startNanos, long epochMillisAtZero) {
        this.nanos = startNanos;
        this.epochMillisAtZero = epochMillisAtZero;
    }

    public FakeClock() {
        this(1_000_000_000L, 1_700_000_000_000L);
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochMillisAtZero + nanos / 1_000_000L;
    }

    public void advanceMillis(long ms) {
        nanos += ms * 1_000_000L;
    }

    public void advanceNanos(long n) {
        nanos += n;
    }
}
