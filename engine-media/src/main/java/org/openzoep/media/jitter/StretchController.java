package org.openzoep.media.jitter;

/**
 * The jitter buffer's delay adaptation: a heavily smoothed buffer level (as NetEq's buffer-level
 * filter, so arrival bunching does not make it accelerate and expand in turn) compared with the
 * target. Above {@code target + frame} a decoded frame loses a pitch period (accelerate), below
 * {@code target - frame / 2} it gains one (expand), by {@link TimeStretcher}; in between it passes
 * unchanged. Whole frames are never dropped for delay.
 *
 * <p>Threads: the audio thread only; no lock, no allocation after construction.
 *
 * <p>Buffers: decoded frames are borrowed; stretched audio goes through a preallocated scratch
 * array into the {@link PcmFifo}.
 */
final class StretchController {

    /** Frames over which the buffer level is averaged (exponential). */
    private static final double LEVEL_FILTER = 32.0;

    private final int clockRate;
    private final int sampleRate;
    private final TimeStretcher stretcher;
    private final short[] stretched;
    private double filteredLevel;

    /** @param maxFrame the largest frame to stretch, in samples */
    StretchController(int clockRate, int sampleRate, int maxFrame) {
        this.clockRate = clockRate;
        this.sampleRate = sampleRate;
        this.stretcher = new TimeStretcher(sampleRate);
        this.stretched = new short[maxFrame + sampleRate * 15 / 1000];
    }

    /** Restarts the smoothed level at {@code levelTicks} (playout starting). */
    void start(int levelTicks) {
        filteredLevel = levelTicks;
    }

    /** Folds the current buffer level, in timestamp units, into the smoothed level. */
    void observe(int levelTicks) {
        filteredLevel += (levelTicks - filteredLevel) / LEVEL_FILTER;
    }

    /**
     * Appends the decoded frame {@code decoded[0, n)} to {@code fifo}, accelerated, expanded or
     * as is.
     *
     * @param decoded borrowed
     * @param morePackets whether packets are still buffered (accelerating is only for a backlog)
     */
    void append(short[] decoded, int n, int targetTicks, boolean morePackets, PcmFifo fifo, JitterStats stats) {
        int frameTicks = ticks(n);
        double high = targetTicks + frameTicks;
        double low = targetTicks - frameTicks / 2.0;
        if (filteredLevel > high && morePackets) {
            int m = stretcher.accelerate(decoded, 0, n, stretched, 0);
            if (m < n) {
                stats.accelerated++;
                stats.samplesRemoved += n - m;
                filteredLevel -= ticks(n - m);
            }
            fifo.append(stretched, 0, m, m);
        } else if (filteredLevel < low) {
            int m = stretcher.expand(decoded, 0, n, stretched, 0);
            if (m > n) {
                stats.expanded++;
                stats.samplesInserted += m - n;
                filteredLevel += ticks(m - n);
            }
            fifo.append(stretched, 0, m, m);
        } else {
            fifo.append(decoded, 0, n, n);
        }
    }

    private int ticks(int samples) {
        return clockRate == sampleRate ? samples : (int) ((long) samples * clockRate / sampleRate);
    }
}
