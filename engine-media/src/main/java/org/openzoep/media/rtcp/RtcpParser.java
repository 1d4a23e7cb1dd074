package org.openzoep.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Validates and parses a compound RTCP packet over {@code (buffer, offset, length)}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            | header
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             | sender
 * |             NTP timestamp, least significant word             | info
 * |                         RTP timestamp                         | (SR only)
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 | report
 * | fraction lost |       cumulative number of packets lost       | block
 * |           extended highest sequence number received           | 1 (x RC)
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 * RR (201) is the same without sender info; SDES (202) holds SC chunks of an SSRC and items
 * {@code type, length, text} ended by a zero byte and padded to 32 bits; BYE (203) holds SC SSRCs
 * and an optional length-prefixed reason. The length field counts 32-bit words minus one.
 *
 * <p>Validation (RFC 3550 A.2) happens in a first pass over the whole compound: version 2 in every
 * sub-packet, an SR or RR first, padding only in the last, every length inside the compound and
 * the lengths adding up exactly, and each known sub-packet's content fitting its length. Only a
 * valid compound is then handed to the {@link Handler}; an invalid one is dropped whole.
 *
 * <p>Thread: the media network thread. Buffers: borrowed for the call only.
 */
public final class RtcpParser {

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    public static final int SDES_CNAME = 1;

    /** Outcome of {@link #parse}; each non-valid verdict is a reason a compound is dropped. */
    public enum Verdict {
        VALID,
        /** Shorter than one 8-byte RTCP header, or a sub-packet header cut off. */
        TRUNCATED,
        BAD_VERSION,
        /** The first sub-packet is not an SR or RR. */
        BAD_FIRST_PACKET,
        /** A sub-packet length runs past the compound, or the lengths do not add up. */
        LENGTH_MISMATCH,
        /** Padding bit on a sub-packet other than the last, or a padding count that does not fit. */
        BAD_PADDING,
        /** A sub-packet's content (report blocks, SDES chunks, BYE list) does not fit its length. */
        BAD_CONTENT
    }

    /** Receives the parts of a valid compound. Default methods ignore what a caller does not need. */
    public interface Handler {
        default void onSenderInfo(int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount, long octetCount) {
        }

        /**
         * @param reporter SSRC of the sender of the report
         * @param fractionLost 0..255 (8-bit fixed point)
         * @param cumulativeLost signed 24-bit value
         */
        default void onReportBlock(int reporter, int source, int fractionLost, int cumulativeLost,
                long extendedHighestSeq, long jitter, long lsr, long dlsr) {
        }

        /** One SDES item; its text is borrowed at {@code (buf, offset, length)} for the call only. */
        default void onSdesItem(int ssrc, int type, ByteBuf buf, int offset, int length) {
        }

        default void onBye(int ssrc) {
        }
    }

    private RtcpParser() {
    }

    /**
     * Validates the compound and, when valid, calls {@code handler} for its parts in order.
     *
     * @param buf borrowed
     */
    public static Verdict parse(ByteBuf buf, int offset, int length, Handler handler) {
        Verdict v = validate(buf, offset, length);
        if (v != Verdict.VALID) {
            return v;
        }
        int p = offset;
        int end = offset + length;
        while (p < end) {
            int b0 = buf.getUnsignedByte(p);
            int count = b0 & 0x1F;
            int pt = buf.getUnsignedByte(p + 1);
            int size = (buf.getUnsignedShort(p + 2) + 1) * 4;
            int bodyEnd = p + size;
            if ((b0 & 0x20) != 0) {
                bodyEnd -= buf.getUnsignedByte(p + size - 1);
            }
            switch (pt) {
                case SR: {
                    int ssrc = buf.getInt(p + 4);
                    handler.onSenderInfo(ssrc, buf.getLong(p + 8), buf.getInt(p + 16),
                            buf.getUnsignedInt(p + 20), buf.getUnsignedInt(p + 24));
                    blocks(buf, p + 28, count, ssrc, handler);
                    break;
                }
                case RR:
                    blocks(buf, p + 8, count, buf.getInt(p + 4), handler);
                    break;
                case SDES:
                    sdes(buf, p, bodyEnd, count, handler);
                    break;
                case BYE:
                    for (int i = 0; i < count; i++) {
                        handler.onBye(buf.getInt(p + 4 + 4 * i));
                    }
                    break;
                default:
                    break; // APP and unknown types are skipped
            }
            p += size;
        }
        return Verdict.VALID;
    }

    private static void blocks(ByteBuf buf, int at, int count, int reporter, Handler handler) {
        for (int i = 0; i < count; i++, at += 24) {
            int lostWord = buf.getInt(at + 4);
            int cumulative = (lostWord << 8) >> 8; // sign-extend 24 bits
            handler.onReportBlock(reporter, buf.getInt(at), lostWord >>> 24, cumulative,
                    buf.getUnsignedInt(at + 8), buf.getUnsignedInt(at + 12), buf.getUnsignedInt(at + 16),
                    buf.getUnsignedInt(at + 20));
        }
    }

    private static void sdes(ByteBuf buf, int start, int end, int chunks, Handler handler) {
        int p = start + 4;
        for (int c = 0; c < chunks; c++) {
            int ssrc = buf.getInt(p);
            p += 4;
            while (true) {
                int type = buf.getUnsignedByte(p);
                if (type == 0) {
                    // a chunk ends on a 32-bit boundary counted from the start of the sub-packet
                    p = start + ((p + 1 - start + 3) & ~3);
                    break;
                }
                int len = buf.getUnsignedByte(p + 1);
                handler.onSdesItem(ssrc, type, buf, p + 2, len);
                p += 2 + len;
            }
        }
    }

    /** First pass: structure only, nothing handed out. */
    static Verdict validate(ByteBuf buf, int offset, int length) {
        if (offset < 0 || length < 8 || offset + length > buf.writerIndex()) {
            return Verdict.TRUNCATED;
        }
        if ((length & 3) != 0) {
            return Verdict.LENGTH_MISMATCH;
        }
        int p = offset;
        int end = offset + length;
        boolean first = true;
        while (p < end) {
            if (end - p < 4) {
                return Verdict.TRUNCATED;
            }
            int b0 = buf.getUnsignedByte(p);
            if ((b0 >>> 6) != 2) {
                return Verdict.BAD_VERSION;
            }
            int pt = buf.getUnsignedByte(p + 1);
            if (first && pt != SR && pt != RR) {
                return Verdict.BAD_FIRST_PACKET;
            }
            first = false;
            int size = (buf.getUnsignedShort(p + 2) + 1) * 4;
            if (size > end - p) {
                return Verdict.LENGTH_MISMATCH;
            }
            int bodyEnd = p + size;
            if ((b0 & 0x20) != 0) {
                if (p + size != end) {
                    return Verdict.BAD_PADDING;
                }
                int pad = buf.getUnsignedByte(p + size - 1);
                if (pad == 0 || pad > size - 4) {
                    return Verdict.BAD_PADDING;
                }
                bodyEnd -= pad;
            }
            int count = b0 & 0x1F;
            if (!contentFits(buf, p, bodyEnd, pt, count)) {
                return Verdict.BAD_CONTENT;
            }
            p += size;
        }
        return p == end ? Verdict.VALID : Verdict.LENGTH_MISMATCH;
    }

    private static boolean contentFits(ByteBuf buf, int p, int bodyEnd, int pt, int count) {
        switch (pt) {
            case SR:
                return p + 28 + 24 * count <= bodyEnd;
            case RR:
                return p + 8 + 24 * count <= bodyEnd;
            case BYE: {
                int q = p + 4 + 4 * count;
                if (q > bodyEnd) {
                    return false;
                }
                if (q < bodyEnd) { // optional reason
                    return q + 1 + buf.getUnsignedByte(q) <= bodyEnd;
                }
                return true;
            }
            case SDES: {
                int q = p + 4;
                for (int c = 0; c < count; c++) {
                    if (q + 4 > bodyEnd) {
                        return false;
                    }
                    q += 4;
                    while (true) {
                        if (q >= bodyEnd) {
                            return false;
                        }
                        int type = buf.getUnsignedByte(q);
                        if (type == 0) {
                            q = p + ((q + 1 - p + 3) & ~3);
                            if (q > bodyEnd) {
                                return false;
                            }
                            break;
                        }
                        if (q + 2 > bodyEnd) {
                            return false;
                        }
                        q += 2 + buf.getUnsignedByte(q + 1);
                    }
                }
                return true;
            }
            default:
                return p + 4 <= bodyEnd;
        }
    }
}
