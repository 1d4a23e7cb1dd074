package org.openzoep.media.codec.g711;

import org.openzoep.media.codec.AudioEncoder;

/**
 * G.711 encoder: 8 kHz 16-bit PCM to one byte per sample (PCMU or PCMA).
 *
 * <p>Thread: stateless apart from its settings, so it may be shared, but the engine gives each
 * stream its own. Allocates nothing; returns {@code -1} when the arguments do not fit.
 */
public final class G711Encoder implements AudioEncoder {

    private final G711.Law law;
    private final int frameSamples;

    /** An encoder of {@code frameMillis} (10 to 60, multiple of 10) frames. */
    public G711Encoder(G711.Law law, int frameMillis) {
        if (frameMillis < 10 || frameMillis > 60 || frameMillis % 10 != 0) {
            throw new IllegalArgumentException("G.711 frame must be 10..60 ms in steps of 10: " + frameMillis);
        }
        this.law = law;
        this.frameSamples = 8 * frameMillis;
    }

    /** A 20 ms encoder. */
    public G711Encoder(G711.Law law) {
        this(law, 20);
    }

    public G711.Law law() {
        return law;
    }

    @Override
    public int sampleRate() {
        return 8000;
    }

    @Override
    public int rtpClockRate() {
        return 8000;
    }

    @Override
    public int frameSamples() {
        return frameSamples;
    }

    @Override
    public int encode(short[] pcm, int pcmOffset, byte[] out, int outOffset, int maxBytes) {
        if (pcmOffset < 0 || pcmOffset > pcm.length - frameSamples || maxBytes < frameSamples
                || outOffset < 0 || outOffset > out.length - frameSamples) {
            return -1;
        }
        G711.encode(law, pcm, pcmOffset, out, outOffset, frameSamples);
        return frameSamples;
    }

    @Override
    public void close() {
    }
}
