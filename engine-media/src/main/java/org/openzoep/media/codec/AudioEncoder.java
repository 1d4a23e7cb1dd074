package org.openzoep.media.codec;

/**
 * Encodes fixed-size frames of 16-bit mono PCM into RTP payloads.
 *
 * <p>Thread: confined to the one thread that encodes (the audio thread). {@link #encode} allocates
 * nothing and never throws for audio content; a native failure returns a negative value.
 */
public interface AudioEncoder extends AutoCloseable {

    /** PCM sample rate this encoder takes, in Hz. */
    int sampleRate();

    /** RTP clock rate of the payload (Opus: always 48000, RFC 7587; G.711: 8000). */
    int rtpClockRate();

    /** Samples per frame (mono) at {@link #sampleRate()}. */
    int frameSamples();

    /**
     * Encodes one frame.
     *
     * @param pcm exactly {@link #frameSamples()} samples starting at {@code pcmOffset}, borrowed
     * @param out destination, borrowed; at most {@code maxBytes} bytes are written at {@code outOffset}
     * @return payload length; 0 when nothing needs to be sent (DTX); negative on codec failure
     */
    int encode(short[] pcm, int pcmOffset, byte[] out, int outOffset, int maxBytes);

    /** Feedback from RTCP fraction lost; codecs without FEC ignore it. */
    default void setExpectedLossPercent(int percent) {
    }

    @Override
    void close();
}
