package org.openzoep.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Appends RTCP sub-packets (layouts in {@link RtcpParser}) to a buffer. A compound starts with
 * {@link #beginSenderReport} or {@link #beginReceiverReport}, gets its report blocks with
 * {@link #reportBlock}, {@link #endReport} patches the count and length, then SDES and BYE follow.
 *
 * <p>Thread: any single thread. Buffers: {@code out} borrowed, appended at its writer index.
 */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    /**
     * Starts an SR.
     *
     * @param out borrowed; appended at its writer index
     * @return the SR's start index, for {@link #endReport}
     */
    public static int beginSenderReport(ByteBuf out, int ssrc, long ntp, int rtpTimestamp, long packets, long octets) {
        int start = out.writerIndex();
        out.writeByte(0x80).writeByte(RtcpParser.SR).writeShort(0).writeInt(ssrc);
        out.writeLong(ntp).writeInt(rtpTimestamp).writeInt((int) packets).writeInt((int) octets);
        return start;
    }

    /**
     * Starts an RR.
     *
     * @param out borrowed; appended at its writer index
     * @return the RR's start index, for {@link #endReport}
     */
    public static int beginReceiverReport(ByteBuf out, int ssrc) {
        int start = out.writerIndex();
        out.writeByte(0x80).writeByte(RtcpParser.RR).writeShort(0).writeInt(ssrc);
        return start;
    }

    /** Appends one 24-byte report block to {@code out} (borrowed). */
    public static void reportBlock(ByteBuf out, int source, int fractionLost, int cumulativeLost,
            long extendedHighestSeq, long jitter, long lsr, long dlsr) {
        out.writeInt(source);
        out.writeInt((fractionLost & 0xFF) << 24 | (cumulativeLost & 0xFFFFFF));
        out.writeInt((int) extendedHighestSeq).writeInt((int) jitter).writeInt((int) lsr).writeInt((int) dlsr);
    }

    /** Sets the report count and length of the SR/RR started at {@code start} in {@code out} (borrowed). */
    public static void endReport(ByteBuf out, int start, int blocks) {
        out.setByte(start, 0x80 | blocks);
        out.setShort(start + 2, (out.writerIndex() - start) / 4 - 1);
    }

    /**
     * Appends an SDES with one chunk carrying the CNAME.
     *
     * @param out borrowed; appended at its writer index
     * @param cname borrowed, at most 255 bytes of UTF-8
     */
    public static void sdesCname(ByteBuf out, int ssrc, byte[] cname) {
        int start = out.writerIndex();
        out.writeByte(0x81).writeByte(RtcpParser.SDES).writeShort(0).writeInt(ssrc);
        out.writeByte(RtcpParser.SDES_CNAME).writeByte(cname.length).writeBytes(cname);
        // null item, then pad the chunk to 32 bits
        do {
            out.writeByte(0);
        } while (((out.writerIndex() - start) & 3) != 0);
        out.setShort(start + 2, (out.writerIndex() - start) / 4 - 1);
    }

    /** Appends a BYE for one SSRC, without a reason, to {@code out} (borrowed). */
    public static void bye(ByteBuf out, int ssrc) {
        out.writeByte(0x81).writeByte(RtcpParser.BYE).writeShort(1).writeInt(ssrc);
    }
}
