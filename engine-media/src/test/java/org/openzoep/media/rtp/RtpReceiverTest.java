package org.openzoep.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RtpReceiverTest {


    private static final long MS = 1_000_000L;

    private static ByteBuf packet(int seq, int ts, int ssrc, int offset) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        b.writeZero(offset);
        b.writeByte(0x80).writeByte(111).writeShort(seq).writeInt(ts).writeInt(ssrc).writeInt(0x01020304);
        return b;
    }

    private static boolean feed(RtpReceiver r, int seq, int ts, int ssrc, long arrival) {
        ByteBuf b = packet(seq, ts, ssrc, 3);
        try {
            return r.receive(b, 3, 16, arrival);
        } finally {
            b.release();
        }
    }

    @Test
    void newSourceIsOnProbationThenExtendsAcrossWrap() {
        RtpReceiver r = new RtpReceiver(null, 48000);
        assertThat(feed(r, 65533, 0, 7, 0)).isFalse(); // probation
        assertThat(feed(r, 65534, 960, 7, 20 * MS)).isTrue();
        assertThat(feed(r, 65535, 1920, 7, 40 * MS)).isTrue();
        assertThat(feed(r, 0, 2880, 7, 60 * MS)).isTrue();
        assertThat(r.extendedSequence()).isEqualTo(65536L);
        assertThat(feed(r, 2, 4800, 7, 100 * MS)).isTrue();
        assertThat(r.extendedSequence()).isEqualTo(65538L);
        // a reordered packet from before the wrap keeps its cycle
        assertThat(feed(r, 65535, 1920, 7, 101 * MS)).isTrue();
        assertThat(r.extendedSequence()).isEqualTo(65535L);
        assertThat(r.probationDrops()).isEqualTo(1);
        // expected 65534..65538 = 5, received 5 (one of them a duplicate), one (seq 1) missing
        assertThat(r.sequence().expected()).isEqualTo(5);
        assertThat(r.sequence().cumulativeLost()).isEqualTo(0);
    }

    @Test
    void lossCountsAndFractionLost() {
        RtpReceiver r = new RtpReceiver(null, 48000);
        int seq = 100;
        feed(r, seq - 1, 0, 9, 0);
        for (int i = 0; i < 100; i++) {
            if (i % 4 != 3) {
                feed(r, seq + i, i * 960, 9, i * 20 * MS);
            }
        }
        assertThat(r.sequence().cumulativeLost()).isEqualTo(24); // 100..198 expected, 3 of each 4 received
        assertThat(r.sequence().takeFractionLost()).isEqualTo((24 * 256) / 99);
        assertThat(r.sequence().takeFractionLost()).isZero();
    }

    @Test
    void hugeJumpIsDroppedUnlessTheSourceContinuesFromIt() {
        RtpReceiver r = new RtpReceiver(null, 48000);
        feed(r, 10, 0, 1, 0);
        assertThat(feed(r, 11, 960, 1, 0)).isTrue();
        assertThat(feed(r, 11 + SequenceTracker.MAX_DROPOUT + 10, 1920, 1, 0)).isFalse();
        assertThat(feed(r, 12, 1920, 1, 0)).isTrue();
        // the source restarts: two sequential packets after the jump are accepted
        assertThat(feed(r, 30000, 0, 1, 0)).isFalse();
        assertThat(feed(r, 30001, 960, 1, 0)).isTrue();
        assertThat(r.sequence().extendedMax()).isEqualTo(30001);
    }

    @Test
    void jitterFollowsRfc3550() {
        RtpReceiver r = new RtpReceiver(null, 48000);
        feed(r, 0, 0, 1, 0);
        // 20 ms packets arriving alternately 0 and 10 ms late: |D| = 480 ticks every packet
        for (int i = 1; i < 400; i++) {
            feed(r, i, i * 960, 1, i * 20 * MS + (i % 2) * 10 * MS);
        }
        assertThat(r.jitter()).isBetween(470L, 480L);
        assertThat(r.jitterMillis()).isBetween(9.8, 10.0);
    }

    @Test
    void ssrcCollisionChangesOurSsrcAndLeavesAByeForTheOldOne() {
        RtpSender local = new RtpSender(new SplittableRandom(5), 111, 48000, 0, false);
        int ours = local.ssrc();
        RtpReceiver r = new RtpReceiver(local, 48000);
        feed(r, 1, 0, ours, 0);
        assertThat(feed(r, 2, 960, ours, 0)).isTrue();
        assertThat(r.collisions()).isEqualTo(2 - 1 + 0); // only the first packet collides
        assertThat(local.ssrc()).isNotEqualTo(ours);
        assertThat(r.pollByeSsrc()).isEqualTo(ours & 0xFFFFFFFFL);
        assertThat(r.pollByeSsrc()).isEqualTo(-1);
    }

    @Test
    void malformedPacketsAreCountedAndNeverThrown() {
        RtpReceiver r = new RtpReceiver(null, 48000);
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            b.writeZero(5).writeByte(0x8F).writeByte(0).writeShort(1).writeInt(0).writeInt(0);
            assertThat(r.receive(b, 5, 12, 0)).isFalse();
            assertThat(r.receive(b, 5, 4, 0)).isFalse();
            assertThat(r.receive(b, 5, 200, 0)).isFalse(); // length past the buffer
        } finally {
            b.release();
        }
        assertThat(r.malformed(RtpPacket.Verdict.CSRC_PAST_END)).isEqualTo(1);
        assertThat(r.malformed(RtpPacket.Verdict.TRUNCATED)).isEqualTo(2);
        assertThat(r.malformedTotal()).isEqualTo(3);
    }

    @Test
    void dtmfEventSentAndReceivedOnceDespiteRepeatedEndPackets() {
        RtpSender s = new RtpSender(new SplittableRandom(3), 111, 48000, 0, false);
        DtmfSender ds = new DtmfSender(s, 101, 960);
        List<int[]> got = new ArrayList<>();
        DtmfReceiver dr = new DtmfReceiver((ev, dur) -> got.add(new int[] {ev, dur}));
        int tsBefore = s.timestamp();
        assertThat(ds.start(11, 10, 4800)).isTrue(); // '#', 100 ms
        assertThat(ds.start(1, 10, 960)).isFalse();
        RtpPacket p = new RtpPacket();
        int packets = 0;
        boolean firstMarker = false;
        while (ds.active()) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
            try {
                b.writeZero(9);
                assertThat(ds.writeNext(b)).isTrue();
                assertThat(p.wrap(b, 9, b.writerIndex() - 9)).isEqualTo(RtpPacket.Verdict.VALID);
                assertThat(p.payloadType()).isEqualTo(101);
                assertThat(p.timestamp()).isEqualTo(tsBefore);
                if (packets == 0) {
                    firstMarker = p.marker();
                }
                dr.receive(p);
                packets++;
            } finally {
                b.release();
            }
        }
        assertThat(firstMarker).isTrue();
        assertThat(packets).isEqualTo(5 + 2); // 4 in progress + end, end repeated twice more
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).containsExactly(11, 4800);
        assertThat(s.timestamp()).isEqualTo(tsBefore); // the audio clock is the caller's to advance
    }

    @Test
    void dtmfEventWhoseEndPacketsWereLostIsReportedWhenTheNextStarts() {
        List<int[]> got = new ArrayList<>();
        DtmfReceiver dr = new DtmfReceiver((ev, dur) -> got.add(new int[] {ev, dur}));
        RtpPacket p = new RtpPacket();
        int[][] pkts = {{5, 1000, 0, 960}, {5, 1000, 0, 1920}, {7, 9000, 0x80, 960}, {7, 9000, 0x80, 960}};
        for (int[] k : pkts) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
            try {
                b.writeZero(2).writeByte(0x80).writeByte(101).writeShort(1).writeInt(k[1]).writeInt(1);
                b.writeByte(k[0]).writeByte(k[2]).writeShort(k[3]);
                p.wrap(b, 2, 16);
                dr.receive(p);
            } finally {
                b.release();
            }
        }
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).containsExactly(5, 1920);
        assertThat(got.get(1)).containsExactly(7, 960);
    }
}
