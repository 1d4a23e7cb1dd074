package org.openzoep.media.codec;

/**
 * Decodes RTP payloads into 16-bit mono PCM, with loss concealment and, where the codec has it,
 * forward error correction.
 *
 * <p>Thread: confined to the one thread that decodes (the audio thread). Nothing here allocates
 * or throws for bad payloads: a corrupt payload returns a negative value and the caller conceals.
 */
public interface AudioDecoder extends AutoCloseable {

    /** PCM sample rate this decoder produces, in Hz. */
    int sampleRate();

    /**
     * Decodes one payload.
     *
     * @param payload borrowed; {@code length} bytes from {@code offset}
     * @param pcm destination, borrowed; at most {@code maxSamples} samples from {@code pcmOffset}
     * @return samples written; negative when the payload is corrupt
     */
    int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int maxSamples);

    /**
     * Recovers the frame <em>before</em> {@code payload} from the in-band FEC data it carries.
     *
     * @return samples written ({@code frameSamples}), or 0 when the payload carries no FEC data or
     *     the codec has none
     */
    default int decodeFec(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int frameSamples) {
        return 0;
    }

    /** Conceals one lost frame of {@code frameSamples} samples (PLC); returns samples written. */
    int conceal(short[] pcm, int pcmOffset, int frameSamples);

    @Override
    void close();
}
