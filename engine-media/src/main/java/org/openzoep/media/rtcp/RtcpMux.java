package org.openzoep.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Tells RTP from RTCP on one port (rtcp-mux, RFC 5761 section 4): with version 2 in the first
 * byte, a second byte (RTCP packet type, or RTP marker plus payload type) of 192..223 is RTCP.
 * Payload types 64..95 must therefore not be used for RTP on a multiplexed port.
 *
 * <p>Thread: any. Buffers: borrowed for the call.
 */
public final class RtcpMux {

    /** Neither RTP nor RTCP: too short or not version 2. */
    public static final int OTHER = 0;
    public static final int RTP = 1;
    public static final int RTCP = 2;

    private RtcpMux() {
    }

    /**
     * Classifies the datagram at {@code (buf, offset, length)}.
     *
     * @param buf borrowed for the call
     * @return {@link #RTP}, {@link #RTCP} or {@link #OTHER}
     */
    public static int classify(ByteBuf buf, int offset, int length) {
        if (length < 2 || (buf.getUnsignedByte(offset) >>> 6) != 2) {
            return OTHER;
        }
        int second = buf.getUnsignedByte(offset + 1);
        return second >= 192 && second <= 223 ? RTCP : RTP;
    }
}
