package org.openzoep.media.rtcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target: a compound RTCP packet (RFC 3550 section 6, validity checks of A.2) through
 * {@link RtcpParser}. The compound is parsed at a non-zero offset with bytes after it, and again in
 * a buffer that holds only the compound: verdicts and callbacks must be the same, nothing may
 * throw, a compound that is not valid reaches the handler not at all, and every SDES item handed
 * out lies inside the compound.
 *
 * <p>Corpus: {@code RtcpParserFuzzTestInputs/compound/}, seeded with compounds from
 * {@link RtcpWriter} as in {@code RtcpTest} ({@code org.openzoep.media.fuzz.FuzzSeeds}).
 */
class RtcpParserFuzzTest {

    private static final int OFFSET = 5;

    @FuzzTest(maxDuration = "30s")
    void compound(byte[] data) {
        ByteBuf b = Unpooled.buffer(OFFSET + data.length + 4);
        ByteBuf exact = Unpooled.buffer(data.length, data.length);
        try {
            b.writeZero(OFFSET).writeBytes(data).writeInt(0xEEEEEEEE);
            exact.writeBytes(data);
            List<String> here = parse(b, OFFSET, data.length);
            List<String> alone = parse(exact, 0, data.length);
            if (!here.equals(alone)) {
                throw new AssertionError("parsed " + here + " at an offset, " + alone + " alone");
            }
        } finally {
            b.release();
            exact.release();
        }
    }

    private static List<String> parse(ByteBuf b, int offset, int length) {
        List<String> events = new ArrayList<>();
        RtcpParser.Verdict v = RtcpParser.parse(b, offset, length, new RtcpParser.Handler() {
            @Override
            public void onSenderInfo(int ssrc, long ntp, int rtp, long packets, long octets) {
                events.add("SR " + ssrc + " " + ntp + " " + rtp + " " + packets + " " + octets);
            }

            @Override
            public void onReportBlock(int reporter, int source, int fractionLost, int cumulativeLost,
                    long extendedHighestSeq, long jitter, long lsr, long dlsr) {
                if (fractionLost < 0 || fractionLost > 255 || cumulativeLost < -(1 << 23) || cumulativeLost >= 1 << 23) {
                    throw new AssertionError("report block out of range: " + fractionLost + " " + cumulativeLost);
                }
                events.add("RB " + reporter + " " + source + " " + fractionLost + " " + cumulativeLost + " "
                        + extendedHighestSeq + " " + jitter + " " + lsr + " " + dlsr);
            }

            @Override
            public void onSdesItem(int ssrc, int type, ByteBuf buf, int at, int len) {
                if (at < offset || len < 0 || at + len > offset + length) {
                    throw new AssertionError("SDES item at " + at + "+" + len + " outside " + offset + "+" + length);
                }
                events.add("SDES " + ssrc + " " + type + " " + ByteBufUtil.hexDump(buf, at, len));
            }

            @Override
            public void onBye(int ssrc) {
                events.add("BYE " + ssrc);
            }
        });
        if (v != RtcpParser.Verdict.VALID && !events.isEmpty()) {
            throw new AssertionError(v + " compound reached the handler: " + events);
        }
        events.add(0, v.toString());
        return events;
    }
}
