package org.openzoep.media.codec.g711;

/**
 * G.711 companding between 16-bit linear PCM and 8-bit mu-law / A-law codes.
 *
 * <p>The algorithms are ITU-T G.711's: mu-law with bias 0x84 (132) on a 14-bit magnitude, eight
 * segments, all bits inverted; A-law on a 13-bit magnitude, eight segments, even bits inverted
 * (XOR 0x55), sign bit set for positive values. 16-bit input is truncated to the 14 (mu) or 13
 * (A) most significant bits as the standard's reference code does; decoded values are the
 * standard's reconstruction levels scaled to 16 bits (mu-law +-32124, A-law +-32256 at full scale).
 *
 * <p>Stateless; the tables are built once and never change.
 */
public final class G711 {

    /** Payload law, with its static RTP payload type (RFC 3551). */
    public enum Law {
        /** mu-law, North America and Japan; payload type 0. */
        PCMU(0),
        /** A-law, elsewhere; payload type 8. */
        PCMA(8);

        private final int payloadType;

        Law(int payloadType) {
            this.payloadType = payloadType;
        }

        public int payloadType() {
            return payloadType;
        }
    }

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];
    /** Encoders indexed by the 16-bit sample's unsigned bit pattern ({@code sample & 0xffff}). */
    private static final byte[] ULAW_ENCODE = new byte[65536];
    private static final byte[] ALAW_ENCODE = new byte[65536];

    static {
        for (int c = 0; c < 256; c++) {
            ULAW_DECODE[c] = (short) ulawToLinearSlow(c);
            ALAW_DECODE[c] = (short) alawToLinearSlow(c);
        }
        for (int s = -32768; s < 32768; s++) {
            ULAW_ENCODE[s & 0xffff] = (byte) linearToUlawSlow(s);
            ALAW_ENCODE[s & 0xffff] = (byte) linearToAlawSlow(s);
        }
    }

    private G711() {
    }

    /** Encodes one 16-bit sample as a mu-law code (0..255). */
    public static int linearToUlaw(short sample) {
        return ULAW_ENCODE[sample & 0xffff] & 0xff;
    }

    /** Encodes one 16-bit sample as an A-law code (0..255). */
    public static int linearToAlaw(short sample) {
        return ALAW_ENCODE[sample & 0xffff] & 0xff;
    }

    /** Decodes a mu-law code (low 8 bits of {@code code}). */
    public static short ulawToLinear(int code) {
        return ULAW_DECODE[code & 0xff];
    }

    /** Decodes an A-law code (low 8 bits of {@code code}). */
    public static short alawToLinear(int code) {
        return ALAW_DECODE[code & 0xff];
    }

    /** Encodes {@code n} samples. */
    public static void encode(Law law, short[] pcm, int pcmOffset, byte[] out, int outOffset, int n) {
        byte[] table = law == Law.PCMU ? ULAW_ENCODE : ALAW_ENCODE;
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = table[pcm[pcmOffset + i] & 0xffff];
        }
    }

    /** Decodes {@code n} codes. */
    public static void decode(Law law, byte[] in, int inOffset, short[] pcm, int pcmOffset, int n) {
        short[] table = law == Law.PCMU ? ULAW_DECODE : ALAW_DECODE;
        for (int i = 0; i < n; i++) {
            pcm[pcmOffset + i] = table[in[inOffset + i] & 0xff];
        }
    }

    // ---- the reference algorithms, used to build the tables ------------------------------------

    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 8159;

    static int linearToUlawSlow(int sample) {
        int pcm = sample >> 2; // 14-bit
        int mask;
        if (pcm < 0) {
            pcm = -pcm;
            mask = 0x7f;
        } else {
            mask = 0xff;
        }
        if (pcm > ULAW_CLIP) {
            pcm = ULAW_CLIP;
        }
        pcm += ULAW_BIAS >> 2;
        int seg = segment(pcm, 0x3f);
        if (seg >= 8) {
            return 0x7f ^ mask;
        }
        int uval = (seg << 4) | ((pcm >> (seg + 1)) & 0xf);
        return uval ^ mask;
    }

    static int ulawToLinearSlow(int code) {
        int u = ~code & 0xff;
        int t = ((u & 0x0f) << 3) + ULAW_BIAS;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS;
    }

    static int linearToAlawSlow(int sample) {
        int pcm = sample >> 3; // 13-bit
        int mask;
        if (pcm >= 0) {
            mask = 0xd5; // sign bit set, even bits inverted
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int seg = segment(pcm, 0x1f);
        if (seg >= 8) {
            return 0x7f ^ mask;
        }
        int aval = seg << 4;
        aval |= seg < 2 ? (pcm >> 1) & 0xf : (pcm >> seg) & 0xf;
        return aval ^ mask;
    }

    static int alawToLinearSlow(int code) {
        int a = (code ^ 0x55) & 0xff;
        int t = (a & 0x0f) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else if (seg == 1) {
            t += 0x108;
        } else {
            t += 0x108;
            t <<= seg - 1;
        }
        return (a & 0x80) != 0 ? t : -t;
    }

    /** G.711 segment of a magnitude: the first i with {@code value <= end_i}, ends doubling from {@code firstEnd}; 8 when past the last. */
    private static int segment(int value, int firstEnd) {
        int end = firstEnd;
        for (int i = 0; i < 8; i++) {
            if (value <= end) {
                return i;
            }
            end = (end << 1) | 1;
        }
        return 8;
    }
}
