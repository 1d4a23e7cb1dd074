package org.openzoep.media.path;

import org.openzoep.media.codec.AudioDecoder;
import org.openzoep.media.codec.AudioEncoder;
import org.openzoep.media.codec.ResampledDecoder;
import org.openzoep.media.codec.ResampledEncoder;
import org.openzoep.media.codec.g711.G711;
import org.openzoep.media.codec.g711.G711Decoder;
import org.openzoep.media.codec.g711.G711Encoder;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;
import org.openzoep.media.description.PayloadFormat;

/**
 * Makes the codec chain of a negotiated codec: every chain works at 48 kHz in 20 ms frames, the
 * rate and frame of the mixer. Opus (RFC 7587) natively, with the configured complexity, bitrate,
 * DTX and in-band FEC; PCMU and PCMA (ITU-T G.711) at 8 kHz behind a resampler.
 *
 * <p>Thread: any (the codecs it makes belong to the audio thread and, for decoding, the jitter
 * buffer's event loop).
 */
public final class CodecFactory {

    /** The frame every chain uses: 20 ms at 48 kHz. */
    public static final int FRAME_SAMPLES = 960;

    private final CodecSettings settings;

    public CodecFactory(CodecSettings settings) {
        this.settings = settings == null ? CodecSettings.DEFAULTS : settings;
    }

    /**
     * One codec's encoder and decoder.
     *
     * @param fec whether the session asks the encoder for in-band FEC and buffers for it
     */
    public record Chain(AudioEncoder encoder, AudioDecoder decoder, boolean fec) implements AutoCloseable {
        @Override
        public void close() {
            encoder.close();
            decoder.close();
        }
    }

    /**
     * The chain of {@code codec} ("opus" at 48000, "PCMU", "PCMA" or static type 0/8).
     *
     * @throws IllegalArgumentException for any other codec
     * @throws RuntimeException (e.g. a native library missing) when the codec cannot be made
     */
    public Chain open(PayloadFormat codec) {
        String name = codec.effectiveName();
        if ("opus".equals(name)) {
            OpusEncoder.Builder eb = OpusEncoder.builder().sampleRate(48000).frameMillis(20);
            if (settings.opusComplexity() != null) {
                eb.complexity(settings.opusComplexity());
            }
            if (settings.opusBitrate() != null) {
                eb.bitrate(settings.opusBitrate());
            }
            if (settings.opusDtx() != null) {
                eb.dtx(settings.opusDtx());
            }
            OpusEncoder enc = eb.build();
            try {
                return new Chain(enc, new OpusDecoder(48000), settings.opusFec() == null || settings.opusFec());
            } catch (RuntimeException e) {
                enc.close();
                throw e;
            }
        }
        if ("pcmu".equals(name) || "pcma".equals(name)) {
            G711.Law law = "pcma".equals(name) ? G711.Law.PCMA : G711.Law.PCMU;
            return new Chain(new ResampledEncoder(new G711Encoder(law, 20), 48000),
                    new ResampledDecoder(new G711Decoder(law), 48000, 480), false);
        }
        throw new IllegalArgumentException("no codec for " + codec);
    }
}
