package org.openzoep.media.codec.g711;

import org.openzoep.media.codec.AudioDecoder;

/**
 * G.711 decoder with a simple concealment: a lost frame repeats the last pitch-sized stretch of
 * history, the first concealed frame fading to 50% and each further one fading to silence
 * within 60 ms. This is far simpler than G.711 Appendix I's PLC and is meant to avoid clicks, not
 * to hide long bursts.
 *
 * <p>Thread: confined to the decoding thread (it keeps the last 20 ms as concealment history,
 * in a buffer allocated here). Nothing is allocated per frame; bad arguments return {@code -1}.
 */
public final class G711Decoder implements AudioDecoder {

    private static final int HISTORY = 160;
    /** Repeats a 5 ms period: long enough to cover typical voice pitch periods (2.5 to 12 ms) without buzzing at 100 Hz. */
    private static final int PERIOD = 40;

    private final G711.Law law;
    private final short[] history = new short[HISTORY];
    private int concealed;
    private int phase;
    private float gain = 1f;

    public G711Decoder(G711.Law law) {
        this.law = law;
    }

    public G711.Law law() {
        return law;
    }

    @Override
    public int sampleRate() {
        return 8000;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int maxSamples) {
        if (length <= 0 || offset < 0 || offset > payload.length - length) {
            return -1;
        }
        int n = Math.min(length, maxSamples);
        if (n <= 0 || pcmOffset < 0 || pcmOffset > pcm.length - n) {
            return -1;
        }
        G711.decode(law, payload, offset, pcm, pcmOffset, n);
        remember(pcm, pcmOffset, n);
        concealed = 0;
        phase = 0;
        gain = 1f;
        return n;
    }

    private void remember(short[] pcm, int off, int n) {
        if (n >= HISTORY) {
            System.arraycopy(pcm, off + n - HISTORY, history, 0, HISTORY);
        } else {
            System.arraycopy(history, n, history, 0, HISTORY - n);
            System.arraycopy(pcm, off, history, HISTORY - n, n);
        }
    }

    @Override
    public int conceal(short[] pcm, int pcmOffset, int frameSamples) {
        if (frameSamples <= 0 || pcmOffset < 0 || pcmOffset > pcm.length - frameSamples) {
            return -1;
        }
        float end = concealed == 0 ? 0.5f : 0f;
        float step = (gain - end) / frameSamples;
        for (int i = 0; i < frameSamples; i++) {
            pcm[pcmOffset + i] = (short) (history[HISTORY - PERIOD + phase] * gain);
            phase = (phase + 1) % PERIOD;
            gain -= step;
        }
        gain = end;
        concealed++;
        return frameSamples;
    }

    @Override
    public void close() {
    }
}
