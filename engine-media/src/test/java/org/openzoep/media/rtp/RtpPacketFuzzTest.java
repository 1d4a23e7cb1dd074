package org.openzoep.media.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target: an RTP packet (RFC 3550 section 5.1, RFC 8285 header extensions) through the
 * {@link RtpPacket} view. The packet is wrapped at a non-zero offset with bytes after it, and again
 * in a buffer that holds only the packet: the verdict and everything read must be the same (so no
 * accessor reads outside the packet), nothing may throw, and a valid packet's payload and every
 * extension element found must lie inside the packet.
 *
 * <p>Corpus: {@code RtpPacketFuzzTestInputs/packet/}, seeded with packets like those of
 * {@code RtpPacketTest} ({@code org.openzoep.media.fuzz.FuzzSeeds}).
 */
class RtpPacketFuzzTest {

    private static final int OFFSET = 3;

    @FuzzTest(maxDuration = "30s")
    void packet(byte[] data) {
        ByteBuf b = Unpooled.buffer(OFFSET + data.length + 4);
        ByteBuf exact = Unpooled.buffer(data.length, data.length);
        try {
            b.writeZero(OFFSET).writeBytes(data).writeInt(0xEEEEEEEE);
            exact.writeBytes(data);
            RtpPacket p = new RtpPacket();
            List<Object> here = read(p, p.wrap(b, OFFSET, data.length));
            List<Object> alone = read(p, p.wrap(exact, 0, data.length));
            if (!here.equals(alone)) {
                throw new AssertionError("read " + here + " at an offset, " + alone + " alone");
            }
        } finally {
            b.release();
            exact.release();
        }
    }

    private static List<Object> read(RtpPacket p, RtpPacket.Verdict v) {
        List<Object> out = new ArrayList<>();
        out.add(v);
        if (v != RtpPacket.Verdict.VALID) {
            return out;
        }
        int start = p.offset();
        int end = p.offset() + p.length();
        if (p.payloadLength() < 0 || p.payloadOffset() < start + RtpPacket.FIXED_HEADER
                || p.payloadOffset() + p.payloadLength() > end) {
            throw new AssertionError("payload " + p.payloadOffset() + "+" + p.payloadLength() + " outside " + start + ".." + end);
        }
        out.add(p.payloadOffset() - start);
        out.add(p.payloadLength());
        out.add(p.padding());
        out.add(p.hasExtension());
        out.add(p.marker());
        out.add(p.payloadType());
        out.add(p.sequenceNumber());
        out.add(p.timestamp());
        out.add(p.ssrc());
        out.add(p.extensionProfile());
        for (int i = 0; i < p.csrcCount(); i++) {
            out.add(p.csrc(i));
        }
        for (int id = 0; id < 256; id++) {
            int at = p.findExtension(id);
            if (at >= 0) {
                if (at < start + RtpPacket.FIXED_HEADER || at + p.foundExtensionLength() > p.payloadOffset()) {
                    throw new AssertionError("extension " + id + " at " + at + "+" + p.foundExtensionLength()
                            + " outside the header (payload at " + p.payloadOffset() + ")");
                }
                out.add(id + "@" + (at - start) + "+" + p.foundExtensionLength());
                out.add(p.audioLevel(id));
            }
        }
        return out;
    }
}
