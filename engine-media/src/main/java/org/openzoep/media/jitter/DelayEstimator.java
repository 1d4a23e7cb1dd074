package org.openzoep.media.jitter;

/**
 * The jitter buffer's target delay, after WebRTC NetEq's delay manager: for each arrival, its
 * arrival time minus its RTP timestamp (both in timestamp units); relative to the smallest such
 * value among the last {@code window} arrivals this is how late it came. The target is a high
 * quantile of those relative delays plus one frame, clamped to [{@code minDelay}, {@code maxDelay}].
 * Until {@link JitterBuffer#MIN_ESTIMATE_PACKETS} arrivals are in the window the initial target
 * holds.
 *
 * <p>Threads: {@link #record}, {@link #update} and {@link #reset} on the audio thread only; no lock,
 * no allocation after construction (the quantile is found by quickselect on a preallocated copy).
 * {@link #publishedTargetTicks} is a volatile readable from any thread.
 *
 * <p>Buffers: none cross it.
 */
final class DelayEstimator {

    private final int clockRate;
    private final int minDelayTicks;
    private final int maxDelayTicks;
    private final double quantile;
    private final int window;
    private final int initialTargetTicks;

    private final long[] delays;
    private final long[] sorted;
    private int count;
    private int pos;
    private boolean haveFirstArrival;
    private long firstArrivalNanos;
    private boolean changed;
    private int targetTicks;
    private volatile int publishedTargetTicks;

    DelayEstimator(int clockRate, int minDelayMs, int maxDelayMs, double quantile, int window, int initialDelayMs) {
        this.clockRate = clockRate;
        this.minDelayTicks = minDelayMs * clockRate / 1000;
        this.maxDelayTicks = maxDelayMs * clockRate / 1000;
        this.quantile = quantile;
        this.window = window;
        this.delays = new long[window];
        this.sorted = new long[window];
        this.initialTargetTicks = Math.max(minDelayTicks, Math.min(maxDelayTicks, initialDelayMs * clockRate / 1000));
        this.targetTicks = initialTargetTicks;
        this.publishedTargetTicks = targetTicks;
    }

    /** Audio thread: one arrival of the packet with (extended) timestamp {@code ts}. */
    void record(long ts, long arrivalNanos) {
        if (!haveFirstArrival) {
            haveFirstArrival = true;
            firstArrivalNanos = arrivalNanos;
        }
        long arrivalTicks = (arrivalNanos - firstArrivalNanos) / 1000L * clockRate / 1_000_000L;
        delays[pos] = arrivalTicks - ts;
        pos = pos + 1 == window ? 0 : pos + 1;
        if (count < window) {
            count++;
        }
        changed = true;
    }

    /** Audio thread: re-estimates the target if arrivals were recorded since the last call. */
    void update(int frameTicks) {
        if (!changed) {
            return;
        }
        changed = false;
        if (count < JitterBuffer.MIN_ESTIMATE_PACKETS) {
            return;
        }
        // Arrays.sort is not used: on data made of a few sorted runs (a circular window always is)
        // the JDK's sort allocates merge buffers. Quickselect on a scratch copy allocates nothing.
        System.arraycopy(delays, 0, sorted, 0, count);
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, sorted[i]);
        }
        int q = (int) Math.ceil(quantile * (count - 1));
        long relative = select(sorted, count, q) - min;
        long t = relative + frameTicks;
        targetTicks = (int) Math.max(minDelayTicks, Math.min(maxDelayTicks, t));
        publishedTargetTicks = targetTicks;
    }

    /**
     * Audio thread: forgets every arrival and goes back to the initial target. The published
     * target keeps its last estimate until the next one.
     */
    void reset() {
        count = 0;
        pos = 0;
        haveFirstArrival = false;
        targetTicks = initialTargetTicks;
    }

    /** Audio thread: the target delay in timestamp units. */
    int targetTicks() {
        return targetTicks;
    }

    /** Any thread: the last estimated target delay in timestamp units. */
    int publishedTargetTicks() {
        return publishedTargetTicks;
    }

    /** The {@code k}-th smallest of {@code a[0, n)} (Hoare's quickselect, in place, middle pivot). */
    static long select(long[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            long pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long tmp = a[i];
                    a[i] = a[j];
                    a[j] = tmp;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
