package org.openzoep.media.codec.opus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.openzoep.media.codec.AudioEncoder;

/**
 * Opus encoder (RFC 6716) for voice: {@code OPUS_APPLICATION_VOIP}, mono, VBR, signal hint voice.
 *
 * <p>Defaults: 48 kHz input, 20 ms frames (10, 20, 40 or 60 configurable), 28 kbit/s VBR,
 * complexity 5, DTX off. In-band FEC is driven by {@link #setExpectedLossPercent}: below 1% no
 * FEC is sent at all; from 1% on, {@code OPUS_SET_INBAND_FEC(1)} and
 * {@code OPUS_SET_PACKET_LOSS_PERC(percent)}. With DTX on, frames libopus marks as not needing
 * transmission (two bytes or fewer) are reported as length 0.
 *
 * <p>Thread: confined to one encoding thread, except {@link #setExpectedLossPercent}, which any
 * thread may call (a volatile hand-off applied before the next frame). {@link #encode} allocates
 * nothing: PCM is copied into a direct buffer preallocated here and libopus writes the payload
 * into another, both passed to libopus by address.
 */
public final class OpusEncoder implements AudioEncoder {

    /** Largest payload libopus is allowed to write (RFC 6716 recommends 1275 bytes per frame). */
    public static final int MAX_PAYLOAD = 1500;

    private final int sampleRate;
    private final int frameSamples;
    private final boolean dtx;
    private final ShortBuffer pcmBuffer;
    private final ByteBuffer outBuffer;
    private final long pcmAddress;
    private final long outAddress;
    private final ByteBuffer scratch;
    private final long scratchAddress;
    private long state;
    private volatile int requestedLoss;
    private int appliedLoss = -1;

    private OpusEncoder(Builder b) {
        OpusNative.info();
        this.sampleRate = b.sampleRate;
        this.frameSamples = b.sampleRate / 1000 * b.frameMillis;
        this.dtx = b.dtx;
        ByteBuffer pcm = ByteBuffer.allocateDirect(frameSamples * 2).order(ByteOrder.nativeOrder());
        this.pcmBuffer = pcm.asShortBuffer();
        this.pcmAddress = OpusNative.address(pcm);
        this.outBuffer = ByteBuffer.allocateDirect(MAX_PAYLOAD);
        this.outAddress = OpusNative.address(outBuffer);
        this.scratch = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        this.scratchAddress = OpusNative.address(scratch);
        int[] error = new int[1];
        long st = OpusNative.opus_encoder_create(sampleRate, 1, OpusNative.OPUS_APPLICATION_VOIP, error);
        if (st == 0 || error[0] != OpusNative.OPUS_OK) {
            throw new IllegalStateException("opus_encoder_create(" + sampleRate + "): " + OpusNative.errorString(error[0]));
        }
        this.state = st;
        set(OpusNative.OPUS_SET_BITRATE_REQUEST, b.bitrate);
        set(OpusNative.OPUS_SET_VBR_REQUEST, 1);
        set(OpusNative.OPUS_SET_COMPLEXITY_REQUEST, b.complexity);
        set(OpusNative.OPUS_SET_SIGNAL_REQUEST, OpusNative.OPUS_SIGNAL_VOICE);
        set(OpusNative.OPUS_SET_DTX_REQUEST, b.dtx ? 1 : 0);
        requestedLoss = b.expectedLossPercent;
        applyLoss(b.expectedLossPercent);
    }

    private void set(int request, int value) {
        int rc = OpusNative.opus_encoder_ctl(state, request, value);
        if (rc != OpusNative.OPUS_OK) {
            throw new IllegalArgumentException("opus_encoder_ctl(" + request + ", " + value + "): " + OpusNative.errorString(rc));
        }
    }

    /** Reads an {@code OPUS_GET_*} value (for tests and diagnostics; not for the per-frame path). */
    public int get(int request) {
        if (state == 0) {
            throw new IllegalStateException("closed");
        }
        scratch.putInt(0, 0);
        int rc = OpusNative.opus_encoder_ctl(state, request, scratchAddress);
        if (rc != OpusNative.OPUS_OK) {
            throw new IllegalArgumentException("opus_encoder_ctl(" + request + "): " + OpusNative.errorString(rc));
        }
        return scratch.getInt(0);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int rtpClockRate() {
        return 48000;
    }

    @Override
    public int frameSamples() {
        return frameSamples;
    }

    /** True when in-band FEC is currently requested from libopus (expected loss at least 1%). */
    public boolean fecActive() {
        return appliedLoss >= 1;
    }

    @Override
    public void setExpectedLossPercent(int percent) {
        requestedLoss = Math.max(0, Math.min(100, percent));
    }

    private void applyLoss(int loss) {
        if (loss >= 1) {
            OpusNative.opus_encoder_ctl(state, OpusNative.OPUS_SET_INBAND_FEC_REQUEST, 1);
            OpusNative.opus_encoder_ctl(state, OpusNative.OPUS_SET_PACKET_LOSS_PERC_REQUEST, loss);
        } else {
            OpusNative.opus_encoder_ctl(state, OpusNative.OPUS_SET_INBAND_FEC_REQUEST, 0);
            OpusNative.opus_encoder_ctl(state, OpusNative.OPUS_SET_PACKET_LOSS_PERC_REQUEST, 0);
        }
        appliedLoss = loss;
    }

    @Override
    public int encode(short[] pcm, int pcmOffset, byte[] out, int outOffset, int maxBytes) {
        if (state == 0) {
            return OpusNative.OPUS_INVALID_STATE;
        }
        if (pcmOffset < 0 || pcmOffset > pcm.length - frameSamples
                || outOffset < 0 || maxBytes < 0 || outOffset > out.length - maxBytes) {
            return OpusNative.OPUS_BAD_ARG;
        }
        int loss = requestedLoss;
        if (loss != appliedLoss) {
            applyLoss(loss);
        }
        pcmBuffer.put(0, pcm, pcmOffset, frameSamples);
        int n = OpusNative.opus_encode(state, pcmAddress, frameSamples, outAddress, Math.min(maxBytes, MAX_PAYLOAD));
        if (n <= 0) {
            return n;
        }
        if (dtx && n <= 2) {
            return 0;
        }
        outBuffer.get(0, out, outOffset, n);
        return n;
    }

    @Override
    public void close() {
        if (state != 0) {
            OpusNative.opus_encoder_destroy(state);
            state = 0;
        }
    }

    /** Encoder settings; all optional. */
    public static final class Builder {
        private int sampleRate = 48000;
        private int frameMillis = 20;
        private int bitrate = 28000;
        private int complexity = 5;
        private boolean dtx;
        private int expectedLossPercent;

        private Builder() {
        }

        /** Input rate: 8000, 12000, 16000, 24000 or 48000 (default). */
        public Builder sampleRate(int hz) {
            if (hz != 8000 && hz != 12000 && hz != 16000 && hz != 24000 && hz != 48000) {
                throw new IllegalArgumentException("Opus sample rate must be 8, 12, 16, 24 or 48 kHz: " + hz);
            }
            this.sampleRate = hz;
            return this;
        }

        /** Frame duration: 10, 20 (default), 40 or 60 ms. */
        public Builder frameMillis(int ms) {
            if (ms != 10 && ms != 20 && ms != 40 && ms != 60) {
                throw new IllegalArgumentException("Opus frame must be 10, 20, 40 or 60 ms: " + ms);
            }
            this.frameMillis = ms;
            return this;
        }

        /** Target VBR bitrate in bit/s (6000 to 510000; default 28000). */
        public Builder bitrate(int bps) {
            if (bps < 6000 || bps > 510000) {
                throw new IllegalArgumentException("Opus bitrate out of range: " + bps);
            }
            this.bitrate = bps;
            return this;
        }

        /** Computational complexity 0 to 10 (default 5). */
        public Builder complexity(int c) {
            if (c < 0 || c > 10) {
                throw new IllegalArgumentException("Opus complexity must be 0..10: " + c);
            }
            this.complexity = c;
            return this;
        }

        /** Discontinuous transmission (default off). */
        public Builder dtx(boolean on) {
            this.dtx = on;
            return this;
        }

        /** Initial expected loss (default 0: no FEC until RTCP reports loss). */
        public Builder expectedLossPercent(int percent) {
            this.expectedLossPercent = Math.max(0, Math.min(100, percent));
            return this;
        }

        /** Creates the native encoder; throws if libopus is missing or rejects a setting. */
        public OpusEncoder build() {
            return new OpusEncoder(this);
        }
    }
}
