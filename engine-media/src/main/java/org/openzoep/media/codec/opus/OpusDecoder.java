package org.openzoep.media.codec.opus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.openzoep.media.codec.AudioDecoder;

/**
 * Opus decoder (RFC 6716), mono, with libopus packet loss concealment and in-band FEC recovery.
 *
 * <p>{@link #decodeFec} recovers the frame <em>before</em> a packet from that packet's LBRR data
 * ({@code opus_decode(..., decode_fec = 1)}); when the packet carries none
 * ({@link OpusPackets#hasFec}) it returns 0 and the caller conceals with {@link #conceal}.
 *
 * <p>Thread: confined to the one decoding thread. Nothing here allocates or throws per frame:
 * payloads are copied into a preallocated direct buffer, libopus decodes into another, both
 * passed by address; a corrupt payload returns a negative libopus error code.
 */
public final class OpusDecoder implements AudioDecoder {

    /** Longest Opus packet duration, 120 ms, in samples at 48 kHz. */
    private static final int MAX_FRAME_48K = 5760;

    private final int sampleRate;
    private final int maxSamples;
    private final ByteBuffer inBuffer;
    private final ShortBuffer pcmBuffer;
    private final long inAddress;
    private final long pcmAddress;
    private final ByteBuffer scratch;
    private final long scratchAddress;
    private long state;

    /** A 48 kHz decoder. */
    public OpusDecoder() {
        this(48000);
    }

    /** A decoder producing {@code sampleRate} Hz (8, 12, 16, 24 or 48 kHz). */
    public OpusDecoder(int sampleRate) {
        OpusNative.info();
        if (sampleRate != 8000 && sampleRate != 12000 && sampleRate != 16000 && sampleRate != 24000 && sampleRate != 48000) {
            throw new IllegalArgumentException("Opus sample rate must be 8, 12, 16, 24 or 48 kHz: " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.maxSamples = MAX_FRAME_48K / (48000 / sampleRate);
        this.inBuffer = ByteBuffer.allocateDirect(OpusEncoder.MAX_PAYLOAD * 4);
        this.inAddress = OpusNative.address(inBuffer);
        ByteBuffer pcm = ByteBuffer.allocateDirect(maxSamples * 2).order(ByteOrder.nativeOrder());
        this.pcmBuffer = pcm.asShortBuffer();
        this.pcmAddress = OpusNative.address(pcm);
        this.scratch = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        this.scratchAddress = OpusNative.address(scratch);
        int[] error = new int[1];
        long st = OpusNative.opus_decoder_create(sampleRate, 1, error);
        if (st == 0 || error[0] != OpusNative.OPUS_OK) {
            throw new IllegalStateException("opus_decoder_create(" + sampleRate + "): " + OpusNative.errorString(error[0]));
        }
        this.state = st;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int maxSamples) {
        if (state == 0) {
            return OpusNative.OPUS_INVALID_STATE;
        }
        if (length <= 0 || length > inBuffer.capacity() || offset < 0 || offset > payload.length - length
                || !pcmFits(pcm, pcmOffset, maxSamples)) {
            return length <= 0 ? OpusNative.OPUS_INVALID_PACKET : OpusNative.OPUS_BAD_ARG;
        }
        inBuffer.put(0, payload, offset, length);
        int n = OpusNative.opus_decode(state, inAddress, length, pcmAddress, Math.min(maxSamples, this.maxSamples), 0);
        if (n > 0) {
            pcmBuffer.get(0, pcm, pcmOffset, n);
        }
        return n;
    }

    @Override
    public int decodeFec(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int frameSamples) {
        if (state == 0) {
            return OpusNative.OPUS_INVALID_STATE;
        }
        if (!OpusPackets.hasFec(payload, offset, length)) {
            return 0;
        }
        if (length > inBuffer.capacity() || frameSamples > this.maxSamples || !pcmFits(pcm, pcmOffset, frameSamples)) {
            return OpusNative.OPUS_BAD_ARG;
        }
        inBuffer.put(0, payload, offset, length);
        int n = OpusNative.opus_decode(state, inAddress, length, pcmAddress, frameSamples, 1);
        if (n > 0) {
            pcmBuffer.get(0, pcm, pcmOffset, n);
        }
        return n;
    }

    @Override
    public int conceal(short[] pcm, int pcmOffset, int frameSamples) {
        if (state == 0) {
            return OpusNative.OPUS_INVALID_STATE;
        }
        if (frameSamples > this.maxSamples || !pcmFits(pcm, pcmOffset, frameSamples)) {
            return OpusNative.OPUS_BAD_ARG;
        }
        int n = OpusNative.opus_decode(state, 0L, 0, pcmAddress, frameSamples, 0);
        if (n > 0) {
            pcmBuffer.get(0, pcm, pcmOffset, n);
        }
        return n;
    }

    /**
     * Samples per channel, at this decoder's rate, that {@code payload} decodes to
     * ({@code opus_decoder_get_nb_samples}); negative when the packet is invalid. Allocation-free.
     * Also the benchmarks' probe of the binding's fixed cost: the same copy-in and native call as
     * {@link #decode}, with almost no codec work behind it.
     */
    public int packetSamples(byte[] payload, int offset, int length) {
        if (state == 0) {
            return OpusNative.OPUS_INVALID_STATE;
        }
        if (length <= 0 || length > inBuffer.capacity() || offset < 0 || offset > payload.length - length) {
            return OpusNative.OPUS_BAD_ARG;
        }
        inBuffer.put(0, payload, offset, length);
        return OpusNative.opus_decoder_get_nb_samples(state, inAddress, length);
    }

    /** Duration of the last decoded or concealed packet, in samples ({@code OPUS_GET_LAST_PACKET_DURATION}). */
    public int lastPacketDuration() {
        if (state == 0) {
            return OpusNative.OPUS_INVALID_STATE;
        }
        int rc = OpusNative.opus_decoder_ctl(state, OpusNative.OPUS_GET_LAST_PACKET_DURATION_REQUEST, scratchAddress);
        return rc == OpusNative.OPUS_OK ? scratch.getInt(0) : rc;
    }

    /** Forgets decoder history, e.g. after an SSRC change. */
    public void reset() {
        if (state != 0) {
            OpusNative.opus_decoder_ctl(state, OpusNative.OPUS_RESET_STATE);
        }
    }

    private static boolean pcmFits(short[] pcm, int pcmOffset, int samples) {
        return samples > 0 && pcmOffset >= 0 && pcmOffset <= pcm.length - samples;
    }

    @Override
    public void close() {
        if (state != 0) {
            OpusNative.opus_decoder_destroy(state);
            state = 0;
        }
    }
}
