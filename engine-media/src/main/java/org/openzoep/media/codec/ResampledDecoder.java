package org.openzoep.media.codec;

/**
 * Runs a narrow-band decoder (e.g. G.711 at 8 kHz) behind the engine's 48 kHz audio path: what it
 * decodes or conceals is resampled up to the engine's rate.
 *
 * <p>Thread: the audio thread, like the decoder it wraps; allocates only when built.
 */
public final class ResampledDecoder implements AudioDecoder {
    private final AudioDecoder codec;
    private final int sampleRate;
    private final int ratio;
    private final Resampler up;
    private final short[] narrow;
    private final short[] wide;

    /**
     * @param sampleRate the rate handed out (48000), a multiple of the codec's
     * @param maxFrameSamples the longest frame at the codec's rate (e.g. 480 for 60 ms G.711)
     */
    public ResampledDecoder(AudioDecoder codec, int sampleRate, int maxFrameSamples) {
        if (sampleRate % codec.sampleRate() != 0) {
            throw new IllegalArgumentException(sampleRate + " Hz is not a multiple of " + codec.sampleRate());
        }
        this.codec = codec;
        this.sampleRate = sampleRate;
        this.ratio = sampleRate / codec.sampleRate();
        this.up = new Resampler(codec.sampleRate(), sampleRate, maxFrameSamples);
        this.narrow = new short[maxFrameSamples];
        this.wide = new short[up.maxOutput(maxFrameSamples)];
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int maxSamples) {
        int n = codec.decode(payload, offset, length, narrow, 0, Math.min(narrow.length, maxSamples / ratio));
        return n <= 0 ? n : widen(n, pcm, pcmOffset, maxSamples);
    }

    @Override
    public int conceal(short[] pcm, int pcmOffset, int frameSamples) {
        int n = codec.conceal(narrow, 0, Math.min(narrow.length, frameSamples / ratio));
        return n <= 0 ? n : widen(n, pcm, pcmOffset, frameSamples);
    }

    private int widen(int n, short[] pcm, int pcmOffset, int maxSamples) {
        int want = Math.min(n * ratio, Math.min(maxSamples, pcm.length - pcmOffset));
        int w = Math.max(0, up.process(narrow, 0, n, wide, 0));
        // the filter yields n * ratio samples per call once primed; pad the first call's shortfall
        System.arraycopy(wide, 0, pcm, pcmOffset, Math.min(w, want));
        for (int i = w; i < want; i++) {
            pcm[pcmOffset + i] = 0;
        }
        return want;
    }

    @Override
    public void close() {
        codec.close();
    }
}
