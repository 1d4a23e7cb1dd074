package org.openzoep.media.jitter;

import java.util.Arrays;

/**
 * Decoded audio waiting to be handed to the audio device: a linear buffer of samples that is
 * compacted to its start when an append would run past its end.
 *
 * <p>Threads: the audio thread only; no lock, no allocation after construction.
 *
 * <p>Buffers: source and destination arrays are borrowed and copied.
 */
final class PcmFifo {

    private final short[] fifo;
    private int start;
    private int count;

    /** @param capacity samples; room for the largest append plus what may be left unread */
    PcmFifo(int capacity) {
        this.fifo = new short[capacity];
    }

    /** Samples buffered. */
    int count() {
        return count;
    }

    /** Appends {@code n} samples of silence. */
    void appendSilence(int n) {
        makeRoom(n);
        Arrays.fill(fifo, start + count, start + count + n, (short) 0);
        count += n;
    }

    /**
     * Appends {@code n} samples, padded with silence to at least {@code min}.
     *
     * @param src borrowed
     */
    void append(short[] src, int off, int n, int min) {
        makeRoom(Math.max(n, min));
        System.arraycopy(src, off, fifo, start + count, n);
        count += n;
        if (n < min) {
            Arrays.fill(fifo, start + count, start + count + (min - n), (short) 0);
            count += min - n;
        }
    }

    /**
     * Moves the oldest {@code samples} samples, which the caller has checked are there, to
     * {@code out[offset, offset + samples)}.
     *
     * @param out borrowed
     */
    void read(short[] out, int offset, int samples) {
        System.arraycopy(fifo, start, out, offset, samples);
        start += samples;
        count -= samples;
    }

    private void makeRoom(int n) {
        if (start + count + n > fifo.length) {
            System.arraycopy(fifo, start, fifo, 0, count);
            start = 0;
        }
    }
}
