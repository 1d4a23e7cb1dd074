package org.openzoep.media.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.openzoep.media.FakeClock;

class JitterBufferTest {

    private static final int TS0 = 0xFFFFF000; // timestamps wrap during the tests
    private static final int SEQ0 = 65500;     // so do sequence numbers

    /** A scheduled delivery: frame index, arrival time. */
    private record Arrival(int index, long atNanos) { }

    private final FakeClock clock = new FakeClock();
    private final SineFrameCodec codec = new SineFrameCodec();
    private final byte[] payload = new byte[16];
    private final short[] out = new short[SineFrameCodec.FRAME];

    private JitterBuffer buffer() {
        return JitterBuffer.builder(codec, 48000).build();
    }

    /** With FEC the target must leave room for the next packet: at least two frames. */
    private JitterBuffer fecBuffer() {
        return JitterBuffer.builder(codec, 48000).minDelayMs(40).build();
    }

    private void put(JitterBuffer jb, int index, boolean fec) {
        int n = SineFrameCodec.payload(index, fec, payload);
        jb.put(payload, 0, n, (SEQ0 + index) & 0xFFFF, TS0 + index * SineFrameCodec.FRAME, clock.nanoTime());
    }

    /**
     * Runs the fake clock in 1 ms steps: delivers every arrival at its time and pulls 20 ms of audio
     * every 20 ms, as the audio thread would.
     */
    private void run(JitterBuffer jb, List<Arrival> arrivals, long untilNanos, boolean fec) {
        run(jb, arrivals, untilNanos, fec, Long.MAX_VALUE);
    }

    private void run(JitterBuffer jb, List<Arrival> arrivals, long untilNanos, boolean fec, long stopAfterDecoded) {
        arrivals.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));
        int next = 0;
        long start = clock.nanoTime();
        while (next < arrivals.size() && arrivals.get(next).atNanos < start) {
            next++; // delivered by an earlier run
        }
        while (clock.nanoTime() < untilNanos && jb.decodedFrames() < stopAfterDecoded) {
            while (next < arrivals.size() && arrivals.get(next).atNanos <= clock.nanoTime()) {
                put(jb, arrivals.get(next).index, fec);
                next++;
            }
            if ((clock.nanoTime() - start) % 20_000_000L == 0) {
                jb.get(out, 0, out.length);
            }
            clock.advanceMillis(1);
        }
    }

    private List<Arrival> schedule(int frames, int jitterMs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long t0 = clock.nanoTime();
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            long delay = jitterMs == 0 ? 0 : rnd.nextInt(jitterMs + 1);
            a.add(new Arrival(i, t0 + i * 20_000_000L + delay * 1_000_000L + 500_000L));
        }
        return a;
    }

    static void dump(String what, JitterBuffer jb) {
        System.out.printf("%s: target %.0f ms, delay %.0f ms, decoded %d, late %d, dup %d, fec %d, concealed %d,"
                + " underruns %d, accelerate %d, expand %d, discarded %d, resets %d%n", what, jb.targetDelayMillis(),
                jb.currentDelayMillis(), jb.decodedFrames(), jb.late(), jb.duplicates(), jb.fecRecovered(),
                jb.concealedFrames(), jb.underrunFrames(), jb.accelerateOperations(), jb.expandOperations(),
                jb.discarded(), jb.resets());
    }

    /** The decode log must be strictly increasing (gaps allowed) with at least {@code count} frames. */
    private void assertPlayedInOrderWithGaps(int count) {
        int last = -1;
        int n = 0;
        for (int i = 0; i < codec.logSize; i++) {
            if (codec.logKind[i] == SineFrameCodec.DECODE || codec.logKind[i] == SineFrameCodec.FEC) {
                assertThat(codec.logFrame[i]).as("log entry %d", i).isGreaterThan(last);
                last = codec.logFrame[i];
                n++;
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(count);
    }

    /** The decode log must be the frames in order, each once, with no gaps. */
    private void assertPlayedInOrder(int upTo) {
        int expect = 0;
        for (int i = 0; i < codec.logSize; i++) {
            if (codec.logKind[i] == SineFrameCodec.DECODE || codec.logKind[i] == SineFrameCodec.FEC) {
                assertThat(codec.logFrame[i]).as("log entry %d", i).isEqualTo(expect);
                expect++;
            }
        }
        assertThat(expect).isGreaterThanOrEqualTo(upTo);
    }

    @Test
    void steadyStreamPlaysEveryFrameInOrderAtMinimalDelay() {
        JitterBuffer jb = buffer();
        run(jb, schedule(500, 0, 1), clock.nanoTime() + 10_000_000_000L, false);
        assertPlayedInOrder(490);
        assertThat(jb.concealedFrames()).isZero();
        assertThat(jb.late()).isZero();
        assertThat(jb.targetDelayMillis()).isEqualTo(20.0);
        assertThat(jb.currentDelayMillis()).isLessThanOrEqualTo(40.0);
    }

    @Test
    void reorderedPacketsArePlacedAndDuplicatesDroppedAndCounted() {
        JitterBuffer jb = buffer();
        List<Arrival> a = schedule(500, 40, 2); // up to 40 ms of jitter reorders neighbours
        for (int i = 0; i < 500; i += 10) {
            a.add(new Arrival(i, a.get(i).atNanos + 3_000_000L)); // a duplicate 3 ms later
        }
        run(jb, a, clock.nanoTime() + 11_000_000_000L, false, 500);
        dump("reorder", jb);
        assertPlayedInOrder(490);
        assertThat(jb.duplicates()).isEqualTo(50);
        assertThat(jb.late()).isZero();
        assertThat(codec.count(SineFrameCodec.PLC)).isZero();
    }

    @Test
    void packetAfterItsTurnIsDroppedAsLateAndConcealed() {
        JitterBuffer jb = buffer();
        List<Arrival> a = schedule(300, 0, 3);
        Arrival moved = a.get(100);
        a.set(100, new Arrival(100, moved.atNanos + 300_000_000L));
        run(jb, a, clock.nanoTime() + 6_040_000_000L, false);
        dump("late", jb);
        assertThat(jb.late()).isEqualTo(1);
        assertThat(jb.concealedFrames()).isEqualTo(1);
        assertThat(jb.fecRecovered()).isZero();
    }

    @Test
    void missingFrameIsRecoveredFromTheNextPacketsFecBeforeConcealment() {
        JitterBuffer jb = fecBuffer();
        List<Arrival> a = schedule(300, 0, 4);
        a.removeIf(x -> x.index == 50 || x.index == 120 || x.index == 121);
        run(jb, a, clock.nanoTime() + 6_040_000_000L, true);
        dump("fec", jb);
        // 50 and 121 come back from the FEC of 51 and 122; 120 has no next packet and is concealed
        assertThat(jb.fecRecovered()).isEqualTo(2);
        assertThat(jb.concealedFrames()).isEqualTo(1);
        assertThat(codec.count(SineFrameCodec.FEC)).isEqualTo(2);
        int fecFrames = 0;
        for (int i = 0; i < codec.logSize; i++) {
            if (codec.logKind[i] == SineFrameCodec.FEC) {
                assertThat(codec.logFrame[i]).isIn(50, 121);
                fecFrames++;
            }
        }
        assertThat(fecFrames).isEqualTo(2);
    }

    @Test
    void targetFollowsJitterAndDelayAdaptsByStretchingNotDropping() {
        JitterBuffer jb = buffer();
        // 12 s calm, 12 s with up to 100 ms of jitter, 12 s calm again
        List<Arrival> a = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(5);
        long t0 = clock.nanoTime();
        for (int i = 0; i < 1800; i++) {
            int jitter = i >= 600 && i < 1200 ? rnd.nextInt(101) : 0;
            a.add(new Arrival(i, t0 + i * 20_000_000L + jitter * 1_000_000L + 500_000L));
        }
        run(jb, a, t0 + 12_000_000_000L, false);
        dump("calm", jb);
        double calm = jb.targetDelayMillis();
        run(jb, a, t0 + 24_000_000_000L, false);
        dump("jittery", jb);
        double jittery = jb.targetDelayMillis();
        double delayJittery = jb.currentDelayMillis();
        long expandsDuringJitter = jb.expandOperations();
        run(jb, a, t0 + 36_040_000_000L, false);
        dump("calm again", jb);
        double calmAgain = jb.targetDelayMillis();

        assertThat(calm).isEqualTo(20.0);
        assertThat(jittery).isBetween(100.0, 125.0); // 95th percentile of 0..100 ms, plus a frame
        assertThat(delayJittery).isBetween(jittery - 40, jittery + 60);
        assertThat(expandsDuringJitter).isPositive();
        assertThat(calmAgain).isEqualTo(20.0);
        assertThat(jb.accelerateOperations()).isPositive();
        assertThat(jb.currentDelayMillis()).isLessThanOrEqualTo(45.0);
        // adapted without throwing frames away: every frame decoded once, in order
        assertThat(jb.discarded()).isZero();
        // the few packets late while the estimate caught up with the onset of jitter were concealed
        assertThat(jb.late()).isLessThanOrEqualTo(10);
        assertPlayedInOrderWithGaps(1790 - (int) jb.late());
        System.out.printf("jitter adaptation: target calm %.0f ms, jittery %.0f ms (delay %.0f ms), calm again %.0f ms;"
                + " accelerate %d (%d samples), expand %d (%d samples), late %d, concealed %d%n",
                calm, jittery, delayJittery, calmAgain, jb.accelerateOperations(), jb.samplesRemoved(),
                jb.expandOperations(), jb.samplesInserted(), jb.late(), jb.concealedFrames());
    }

    @Test
    void sequenceNumbersOfDtmfPacketsAreSkippedNotConcealed() {
        JitterBuffer jb = buffer();
        long t0 = clock.nanoTime();
        int next = 0;
        for (int i = 0; i < 300; i++) {
            long at = t0 + i * 20_000_000L + 500_000L;
            while (clock.nanoTime() < at) {
                if ((clock.nanoTime() - t0) % 20_000_000L == 0) {
                    jb.get(out, 0, out.length);
                }
                clock.advanceMillis(1);
            }
            if (i >= 100 && i < 105) {
                // an RFC 4733 event took these sequence numbers; the audio timestamp skips its duration
                jb.skip((SEQ0 + i) & 0xFFFF, clock.nanoTime());
            } else {
                put(jb, i, false);
            }
        }
        dump("dtmf skip", jb);
        assertThat(jb.concealedFrames()).isZero();
        assertThat(jb.late()).isZero();
        assertThat(jb.decodedFrames()).isGreaterThanOrEqualTo(290);
        assertPlayedInOrderWithGaps(290);
    }

    @Test
    void quantileSelectionMatchesSorting() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int round = 0; round < 500; round++) {
            int n = 1 + rnd.nextInt(300);
            long[] a = new long[n];
            for (int i = 0; i < n; i++) {
                a[i] = rnd.nextInt(round % 3 == 0 ? 5 : 100_000) - 50; // many duplicates in some rounds
            }
            long[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            int k = rnd.nextInt(n);
            assertThat(JitterBuffer.select(a, n, k)).isEqualTo(sorted[k]);
        }
    }

    @Test
    void sequenceJumpRestartsInsteadOfWaitingForever() {
        JitterBuffer jb = buffer();
        run(jb, schedule(100, 0, 6), clock.nanoTime() + 2_000_000_000L, false);
        // the sender restarts 5000 frames further on
        List<Arrival> a = new ArrayList<>();
        long t0 = clock.nanoTime();
        for (int i = 0; i < 100; i++) {
            a.add(new Arrival(5000 + i, t0 + i * 20_000_000L));
        }
        run(jb, a, t0 + 2_100_000_000L, false);
        assertThat(jb.decodedFrames()).isGreaterThanOrEqualTo(190);
    }

    @Test
    void audioThreadPathAllocatesNothing() {
        JitterBuffer jb = buffer();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        SplittableRandom rnd = new SplittableRandom(7);
        int index = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = mx.getThreadAllocatedBytes(tid);
            }
            for (int i = 0; i < 20_000; i++) {
                int n = SineFrameCodec.payload(index, true, payload);
                if (rnd.nextInt(20) != 0) { // 5% loss, FEC and PLC paths included
                    jb.put(payload, 0, n, (SEQ0 + index) & 0xFFFF, TS0 + index * 960, clock.nanoTime()
                            + rnd.nextInt(30) * 1_000_000L);
                }
                index++;
                jb.get(out, 0, 480);
                jb.get(out, 0, 480);
                clock.advanceMillis(20);
                codec.logSize = 0;
            }
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).as("bytes allocated by 40,000 get() and 19,000 put() calls").isZero();
    }

    @Test
    void handOffBetweenANetworkThreadAndAnAudioThread() throws Exception {
        JitterBuffer jb = JitterBuffer.builder(codec, 48000).ringPackets(1024).build();
        int total = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong produced = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong gets = new java.util.concurrent.atomic.AtomicLong();
        long deadlineNanos = System.nanoTime() + 20_000_000_000L;
        Thread network = new Thread(() -> {
            byte[] p = new byte[8];
            for (int i = 0; i < total; i++) {
                // stay at most 64 packets ahead of the audio side, as a real network would
                while (i - gets.get() > 32 && System.nanoTime() < deadlineNanos) {
                    Thread.onSpinWait();
                }
                int n = SineFrameCodec.payload(i, false, p);
                jb.put(p, 0, n, (SEQ0 + i) & 0xFFFF, TS0 + i * 960, i * 20_000_000L);
                produced.incrementAndGet();
            }
            done.set(true);
        }, "network");
        network.start();
        long deadline = deadlineNanos;
        short[] pcm = new short[960];
        // the audio side pulls until every packet is accounted for, or the deadline passes
        while (System.nanoTime() < deadline && !(done.get() && jb.received() + jb.ringDrops() == total)) {
            // the audio side runs about as fast as the network delivers, a few packets behind
            if (done.get() || produced.get() > gets.get() + 4) {
                jb.get(pcm, 0, 960);
                gets.incrementAndGet();
            } else {
                Thread.onSpinWait();
            }
        }
        network.join(10_000);
        assertThat(jb.received() + jb.ringDrops()).isEqualTo(total);
        assertThat(jb.duplicates()).isZero();
        // whatever made it through was decoded strictly in order
        int last = -1;
        for (int i = 0; i < codec.logSize; i++) {
            if (codec.logKind[i] == SineFrameCodec.DECODE) {
                assertThat(codec.logFrame[i]).isGreaterThan(last);
                last = codec.logFrame[i];
            }
        }
    }
}
