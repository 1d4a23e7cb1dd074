package org.openzoep.media.jitter;

import org.openzoep.media.codec.AudioDecoder;

/**
 * A tiny real codec for jitter-buffer tests: a payload names a frame index (and, with FEC, repeats
 * the previous index); decoding it yields that frame of a continuous 200 Hz sine, so audio played
 * in order is a clean sine. Every call is logged in a preallocated array (no allocation).
 */
final class SineFrameCodec implements AudioDecoder {

    static final int RATE = 48000;
    static final int FRAME = 960;
    static final int DECODE = 1;
    static final int FEC = 2;
    static final int PLC = 3;

    final int[] logKind = new int[100_000];
    final int[] logFrame = new int[100_000];
    int logSize;

    /** Writes a payload for frame {@code index} into {@code out}; returns its length. */
    static int payload(int index, boolean withFec, byte[] out) {
        out[0] = (byte) (withFec ? 1 : 0);
        out[1] = (byte) (index >>> 24);
        out[2] = (byte) (index >>> 16);
        out[3] = (byte) (index >>> 8);
        out[4] = (byte) index;
        return 5;
    }

    static void sine(int index, short[] pcm, int off) {
        for (int j = 0; j < FRAME; j++) {
            long n = (long) index * FRAME + j;
            pcm[off + j] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 200 * (n % RATE) / RATE));
        }
    }

    private static int index(byte[] p, int off) {
        return (p[off + 1] & 0xFF) << 24 | (p[off + 2] & 0xFF) << 16 | (p[off + 3] & 0xFF) << 8 | (p[off + 4] & 0xFF);
    }

    private void log(int kind, int frame) {
        if (logSize < logKind.length) {
            logKind[logSize] = kind;
            logFrame[logSize] = frame;
            logSize++;
        }
    }

    int count(int kind) {
        int n = 0;
        for (int i = 0; i < logSize; i++) {
            if (logKind[i] == kind) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int sampleRate() {
        return RATE;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int maxSamples) {
        if (length != 5) {
            return -1;
        }
        int idx = index(payload, offset);
        sine(idx, pcm, pcmOffset);
        log(DECODE, idx);
        return FRAME;
    }

    @Override
    public int decodeFec(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int frameSamples) {
        if (length != 5 || payload[offset] == 0) {
            return 0;
        }
        int idx = index(payload, offset) - 1;
        sine(idx, pcm, pcmOffset);
        log(FEC, idx);
        return FRAME;
    }

    @Override
    public int conceal(short[] pcm, int pcmOffset, int frameSamples) {
        java.util.Arrays.fill(pcm, pcmOffset, pcmOffset + frameSamples, (short) 0);
        log(PLC, -1);
        return frameSamples;
    }

    @Override
    public void close() {
    }
}
