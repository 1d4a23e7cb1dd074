package org.openzoep.media.codec;

/**
 * Runs a narrow-band encoder (e.g. G.711 at 8 kHz) behind the engine's 48 kHz audio path: each
 * 48 kHz frame is resampled to the codec's rate, then encoded.
 *
 * <p>Thread: the audio thread, like the encoder it wraps; allocates only when built.
 */
public final class ResampledEncoder implements AudioEncoder {
    private final AudioEncoder codec;
    private final int sampleRate;
    private final int frameSamples;
    private final Resampler down;
    private final short[] narrow;

    /** @param sampleRate the rate of the PCM handed in (48000) */
    public ResampledEncoder(AudioEncoder codec, int sampleRate) {
        this.codec = codec;
        this.sampleRate = sampleRate;
        this.frameSamples = codec.frameSamples() * sampleRate / codec.sampleRate();
        this.down = new Resampler(sampleRate, codec.sampleRate(), frameSamples);
        this.narrow = new short[down.maxOutput(frameSamples) + codec.frameSamples()];
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int rtpClockRate() {
        return codec.rtpClockRate();
    }

    @Override
    public int frameSamples() {
        return frameSamples;
    }

    @Override
    public int encode(short[] pcm, int pcmOffset, byte[] out, int outOffset, int maxBytes) {
        int n = down.process(pcm, pcmOffset, frameSamples, narrow, 0);
        // the polyphase filter yields exactly the codec frame per input frame once primed
        for (int i = n; i < codec.frameSamples(); i++) {
            narrow[i] = 0;
        }
        return codec.encode(narrow, 0, out, outOffset, maxBytes);
    }

    @Override
    public void setExpectedLossPercent(int percent) {
        codec.setExpectedLossPercent(percent);
    }

    @Override
    public void close() {
        codec.close();
    }
}
