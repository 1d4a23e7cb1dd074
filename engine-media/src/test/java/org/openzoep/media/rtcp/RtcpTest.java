package org.openzoep.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;
import org.openzoep.media.rtp.RtpReceiver;
import org.openzoep.media.rtp.RtpSender;

class RtcpTest {


    private static final int OFFSET = 5; // not a multiple of 4, on purpose

    /** Records everything the parser hands out. */
    static final class Recorder implements RtcpParser.Handler {
        final List<String> events = new ArrayList<>();

        @Override
        public void onSenderInfo(int ssrc, long ntp, int rtpTs, long packets, long octets) {
            events.add("SR " + ssrc + " " + Long.toHexString(ntp) + " " + rtpTs + " " + packets + " " + octets);
        }

        @Override
        public void onReportBlock(int reporter, int source, int fraction, int cumLost, long ext, long jitter,
                long lsr, long dlsr) {
            events.add("RB " + reporter + " " + source + " " + fraction + " " + cumLost + " " + ext + " " + jitter
                    + " " + lsr + " " + dlsr);
        }

        @Override
        public void onSdesItem(int ssrc, int type, ByteBuf buf, int offset, int length) {
            events.add("SDES " + ssrc + " " + type + " " + buf.toString(offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onBye(int ssrc) {
            events.add("BYE " + ssrc);
        }
    }

    private static ByteBuf compound() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        b.writeZero(OFFSET);
        int sr = RtcpWriter.beginSenderReport(b, 77, 0x1122334455667788L, 960, 10, 1000);
        RtcpWriter.reportBlock(b, 99, 25, -3, 70000, 480, 0xABCD, 0x10000);
        RtcpWriter.endReport(b, sr, 1);
        RtcpWriter.sdesCname(b, 77, "alice@example".getBytes(StandardCharsets.UTF_8));
        RtcpWriter.bye(b, 77);
        return b;
    }

    @Test
    void writesAndParsesCompoundSrSdesByeAtNonZeroOffset() {
        ByteBuf b = compound();
        try {
            Recorder r = new Recorder();
            int len = b.writerIndex() - OFFSET;
            assertThat(len % 4).isZero();
            assertThat(RtcpParser.parse(b, OFFSET, len, r)).isEqualTo(RtcpParser.Verdict.VALID);
            assertThat(r.events).containsExactly(
                    "SR 77 1122334455667788 960 10 1000",
                    "RB 77 99 25 -3 70000 480 43981 65536",
                    "SDES 77 1 alice@example",
                    "BYE 77");
            assertThat(b.refCnt()).isEqualTo(1);
            assertThat(b.readerIndex()).isZero();
        } finally {
            b.release();
        }
    }

    private static RtcpParser.Verdict mangled(java.util.function.Consumer<ByteBuf> mangle, int lengthDelta) {
        ByteBuf b = compound();
        try {
            mangle.accept(b);
            Recorder r = new Recorder();
            RtcpParser.Verdict v = RtcpParser.parse(b, OFFSET, b.writerIndex() - OFFSET + lengthDelta, r);
            assertThat(r.events).as("nothing handed out of a bad compound").isEmpty();
            assertThat(b.refCnt()).isEqualTo(1);
            return v;
        } finally {
            b.release();
        }
    }

    @Test
    void malformedCompoundsAreDroppedWholeWithTheirReason() {
        // SR is 7+6 words = 52 bytes; SDES at OFFSET+52 is 6 words; BYE at OFFSET+76 is 2 words
        assertThat(mangled(b -> { }, -84 + 4)).isEqualTo(RtcpParser.Verdict.TRUNCATED);
        assertThat(mangled(b -> { }, -2)).isEqualTo(RtcpParser.Verdict.LENGTH_MISMATCH);
        assertThat(mangled(b -> b.setByte(OFFSET, 0x41), 0)).isEqualTo(RtcpParser.Verdict.BAD_VERSION);
        assertThat(mangled(b -> b.setByte(OFFSET + 52, 0x41), 0)).isEqualTo(RtcpParser.Verdict.BAD_VERSION);
        assertThat(mangled(b -> b.setByte(OFFSET + 1, RtcpParser.SDES), 0))
                .isEqualTo(RtcpParser.Verdict.BAD_FIRST_PACKET);
        // SR length one word too long: the next "header" is read inside the SDES item and rejected
        assertThat(mangled(b -> b.setShort(OFFSET + 2, 13), 0)).isEqualTo(RtcpParser.Verdict.BAD_VERSION);
        // last sub-packet length one word too long
        assertThat(mangled(b -> b.setShort(OFFSET + 78, 2), 0)).isEqualTo(RtcpParser.Verdict.LENGTH_MISMATCH);
        // BYE length past the end
        assertThat(mangled(b -> b.setShort(OFFSET + 78, 5), 0)).isEqualTo(RtcpParser.Verdict.LENGTH_MISMATCH);
        // a whole extra word after the last sub-packet that is no sub-packet
        assertThat(mangled(b -> b.writeInt(0x80000000), 4)).isEqualTo(RtcpParser.Verdict.TRUNCATED);
        // report count 3 in a length for 1
        assertThat(mangled(b -> b.setByte(OFFSET, 0x83), 0)).isEqualTo(RtcpParser.Verdict.BAD_CONTENT);
        // SDES item length past the chunk
        assertThat(mangled(b -> b.setByte(OFFSET + 52 + 9, 40), 0)).isEqualTo(RtcpParser.Verdict.BAD_CONTENT);
        // BYE source count 4 in one word
        assertThat(mangled(b -> b.setByte(OFFSET + 76, 0x84), 0)).isEqualTo(RtcpParser.Verdict.BAD_CONTENT);
        // padding bit on a sub-packet that is not the last
        assertThat(mangled(b -> b.setByte(OFFSET, 0xA1), 0)).isEqualTo(RtcpParser.Verdict.BAD_PADDING);
        // padding count larger than the last sub-packet
        assertThat(mangled(b -> { b.setByte(OFFSET + 76, 0xA1); b.setByte(b.writerIndex() - 1, 200); }, 0))
                .isEqualTo(RtcpParser.Verdict.BAD_PADDING);
        // offset/length beyond the buffer
        ByteBuf b = compound();
        try {
            assertThat(RtcpParser.parse(b, OFFSET, 400, new Recorder())).isEqualTo(RtcpParser.Verdict.TRUNCATED);
        } finally {
            b.release();
        }
    }

    @Test
    void muxTellsRtcpFromRtp() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            b.writeZero(3).writeByte(0x80).writeByte(200).writeByte(0x80).writeByte(111)
                    .writeByte(0x80).writeByte(0x80 | 96).writeByte(0x00).writeByte(200);
            assertThat(RtcpMux.classify(b, 3, 2)).isEqualTo(RtcpMux.RTCP);
            assertThat(RtcpMux.classify(b, 5, 2)).isEqualTo(RtcpMux.RTP);
            assertThat(RtcpMux.classify(b, 7, 2)).isEqualTo(RtcpMux.RTP); // marker + PT 96 = 224
            assertThat(RtcpMux.classify(b, 9, 2)).isEqualTo(RtcpMux.OTHER);
            assertThat(RtcpMux.classify(b, 3, 1)).isEqualTo(RtcpMux.OTHER);
        } finally {
            b.release();
        }
    }

    @Test
    void intervalHonoursTheFiveSecondMinimumAndRandomization() {
        SplittableRandom rnd = new SplittableRandom(4);
        RtcpScheduler s = new RtcpScheduler(rnd, 64_000, 0);
        // the first report comes after half the minimum, randomized and compensated
        double lo = 0.5 / (Math.E - 1.5);
        double hi = 1.5 / (Math.E - 1.5);
        assertThat(s.nextNanos() / 1e9).isBetween(2.5 * lo, 2.5 * hi);
        long now = s.nextNanos();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < 2000; i++) {
            s.onSent(now, 120, 2, 1, true);
            double t = (s.nextNanos() - now) / 1e9;
            min = Math.min(min, t);
            max = Math.max(max, t);
            now = s.nextNanos();
        }
        assertThat(min).isBetween(5 * lo, 5 * lo + 0.1);
        assertThat(max).isBetween(5 * hi - 0.1, 5 * hi);
        assertThat(s.deterministicInterval(2, 1, true)).isEqualTo(RtcpScheduler.MIN_TIME);
        // a big session at low bandwidth: 200 members, 120-byte reports at 5% of 64 kbit/s
        assertThat(s.deterministicInterval(200, 2, false)).isGreaterThan(60.0);
    }

    @Test
    void scheduleFollowsAFakeClock() {
        FakeClock clock = new FakeClock();
        RtpSender sender = new RtpSender(new SplittableRandom(1), 111, 48000, 0, false);
        RtcpSession rtcp = new RtcpSession(clock, new SplittableRandom(2), sender, null, "a", 64_000);
        assertThat(rtcp.due()).isFalse();
        int reports = 0;
        for (int ms = 0; ms < 60_000; ms += 10) {
            clock.advanceMillis(10);
            if (rtcp.due()) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
                try {
                    rtcp.writeReport(b);
                } finally {
                    b.release();
                }
                reports++;
            }
        }
        // average interval 5 s / (e - 1.5) = 4.1 s: about 14-15 reports in a minute
        assertThat(reports).isBetween(11, 19);
    }

    @Test
    void roundTripTimeLossAndByeBetweenTwoSessions() {
        FakeClock clock = new FakeClock();
        RtpSender aSend = new RtpSender(new SplittableRandom(1), 111, 48000, 0, false);
        RtpSender bSend = new RtpSender(new SplittableRandom(2), 111, 48000, 0, false);
        RtpReceiver aRecv = new RtpReceiver(aSend, 48000);
        RtpReceiver bRecv = new RtpReceiver(bSend, 48000);
        RtcpSession a = new RtcpSession(clock, new SplittableRandom(3), aSend, aRecv, "a", 64_000);
        RtcpSession b = new RtcpSession(clock, new SplittableRandom(4), bSend, bRecv, "b", 64_000);

        // A sends 100 packets to B; every tenth is lost
        byte[] payload = new byte[40];
        for (int i = 0; i < 100; i++) {
            ByteBuf p = PooledByteBufAllocator.DEFAULT.buffer();
            try {
                p.writeZero(OFFSET);
                int n = aSend.writeAudio(p, payload, 0, payload.length, 960, false, -1, false);
                if (i % 10 != 5) {
                    bRecv.receive(p, OFFSET, n, clock.nanoTime());
                }
            } finally {
                p.release();
            }
            clock.advanceMillis(20);
        }
        // A's SR reaches B after 30 ms; B answers 700 ms later; the RR reaches A after 30 ms
        ByteBuf sr = PooledByteBufAllocator.DEFAULT.buffer();
        ByteBuf rr = PooledByteBufAllocator.DEFAULT.buffer();
        ByteBuf bye = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            sr.writeZero(OFFSET);
            a.writeReport(sr);
            assertThat((int) sr.getUnsignedByte(OFFSET + 1)).isEqualTo(RtcpParser.SR);
            clock.advanceMillis(30);
            assertThat(b.receive(sr, OFFSET, sr.writerIndex() - OFFSET)).isTrue();
            clock.advanceMillis(700);
            rr.writeZero(OFFSET);
            b.writeReport(rr);
            assertThat((int) rr.getUnsignedByte(OFFSET + 1)).isEqualTo(RtcpParser.RR);
            clock.advanceMillis(30);
            assertThat(a.receive(rr, OFFSET, rr.writerIndex() - OFFSET)).isTrue();
            assertThat(a.rttMillis()).isCloseTo(60.0, org.assertj.core.data.Offset.offset(0.1));
            assertThat(a.remoteCumulativeLost()).isEqualTo(10);
            assertThat(a.remoteFractionLost()).isBetween(20, 26);

            bye.writeZero(OFFSET);
            a.writeBye(bye, aSend.ssrc());
            assertThat(b.receive(bye, OFFSET, bye.writerIndex() - OFFSET)).isTrue();
            assertThat(b.remoteBye()).isTrue();
            // a garbage datagram is counted, not thrown
            assertThat(b.receive(bye, OFFSET + 4, 8)).isFalse();
            assertThat(b.malformedTotal()).isEqualTo(1);
        } finally {
            sr.release();
            rr.release();
            bye.release();
        }
    }
}
