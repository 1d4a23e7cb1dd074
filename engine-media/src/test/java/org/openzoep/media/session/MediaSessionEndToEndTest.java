package org.openzoep.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;
import org.openzoep.media.quality.StreamStats;
import org.openzoep.media.testsupport.AudioFixtures;

/**
 * Two media sessions on 127.0.0.1 talking through an impairing relay inside the test. Speech made
 * with espeak-ng and sox goes into session A; what session B plays out is aligned to it by
 * cross-correlation and compared. The audio threads are a clock-paced virtual device: one
 * scheduled thread ticking every 20 ms.
 */
class MediaSessionEndToEndTest {


    private static final int RATE = 48000;
    private static final int FRAME = 960;
    private static short[] speech;
    private static EventLoopGroup group;

    @BeforeAll
    static void setUp() throws Exception {
        speech = AudioFixtures.speech(RATE);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The outcome of one call. */
    record Result(short[] output, StreamStats stats, double delayMs, double similarity, double globalCorrelation,
            long relayDropped, long relayDuplicated, long relayReordered, List<String> dtmf, boolean byeSeen,
            long concealedForLoss, long underruns) {
    }

    private Result call(String name, ImpairingRelay.Impairment imp, boolean fec, long seed) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ImpairingRelay relay = new ImpairingRelay(group, imp, seed);
                OpusEncoder encA = OpusEncoder.builder().build();
                OpusEncoder encB = OpusEncoder.builder().build();
                OpusDecoder decA = new OpusDecoder();
                OpusDecoder decB = new OpusDecoder()) {
            MediaSession a = MediaSession.builder(group, any, relay.sideA(), encA, decA)
                    .random(new SplittableRandom(seed + 1)).fec(fec)
                    .start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<String> dtmf = new CopyOnWriteArrayList<>();
            MediaSession b = MediaSession.builder(group, any, relay.sideB(), encB, decB)
                    .random(new SplittableRandom(seed + 2)).fec(fec)
                    .dtmfListener((event, ticks) -> dtmf.add(event + "/" + ticks))
                    .start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            relay.peers(a.localAddress(), b.localAddress());

            int frames = speech.length / FRAME + 60; // the speech, then 1.2 s to drain the pipeline
            short[] out = new short[frames * FRAME];
            short[] silence = new short[FRAME];
            short[] in = new short[FRAME];
            short[] sink = new short[FRAME];
            AtomicInteger tick = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            ScheduledExecutorService audio = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "audio"));
            try {
                // fixed rate, like a sound card's clock. On a loaded machine a late tick is followed
                // by a burst of catch-up ticks, which the receiving jitter buffer sees as underruns
                // (counted apart from loss) and adapts to.
                ScheduledFuture<?> f = audio.scheduleAtFixedRate(() -> {
                    try {
                        int k = tick.getAndIncrement();
                        if (k >= frames) {
                            done.countDown();
                            return;
                        }
                        if ((k + 1) * FRAME <= speech.length) {
                            System.arraycopy(speech, k * FRAME, in, 0, FRAME);
                        } else {
                            java.util.Arrays.fill(in, (short) 0);
                        }
                        if (k == frames - 40) {
                            a.sendDtmf(11, 100); // '#' for 100 ms, after the speech
                        }
                        a.captureFrame(in, 0);
                        b.captureFrame(silence, 0);
                        a.playbackFrame(sink, 0);
                        b.playbackFrame(out, k * FRAME);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        done.countDown();
                    }
                }, 0, 20, TimeUnit.MILLISECONDS);
                assertThat(done.await(frames * 40L + 30_000, TimeUnit.MILLISECONDS)).as("call finished").isTrue();
                f.cancel(false);
            } finally {
                audio.shutdownNow();
                assertThat(audio.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(failure.get()).isNull();
            StreamStats stats = b.stats();
            System.out.printf("e2e %s: jitter buffer fec attempts %d, recovered %d, underruns %d, late %d, target %.0f ms%n",
                    name, b.jitterBuffer().fecAttempts(), b.jitterBuffer().fecRecovered(),
                    b.jitterBuffer().underrunFrames(), b.jitterBuffer().late(), b.jitterBuffer().targetDelayMillis());
            a.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long byeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!b.rtcp().remoteBye() && System.nanoTime() < byeDeadline) {
                Thread.onSpinWait(); // the relay may lose the BYE; the clean call asserts it
            }
            boolean byeSeen = b.rtcp().remoteBye();
            b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);

            int lag = globalLag(speech, out);
            double globalCorr = AudioFixtures.correlation(speech, out, 0, speech.length, lag);
            double[] seg = AudioFixtures.segmental(speech, out, lag);
            double sim = seg[0];
            Result r = new Result(out, stats, seg[1] * 1000.0 / RATE, sim, globalCorr, relay.dropped, relay.duplicated,
                    relay.reordered, dtmf, byeSeen,
                    b.jitterBuffer().concealedFrames() - b.jitterBuffer().underrunFrames(),
                    b.jitterBuffer().underrunFrames());
            System.out.printf("e2e %-28s delay %.1f ms (median over voiced segments; start %.1f ms), similarity %.3f (global correlation %.3f); relay dropped %d,"
                    + " duplicated %d, reordered %d; %s%n", name, r.delayMs, lag * 1000.0 / RATE, sim, globalCorr, relay.dropped,
                    relay.duplicated, relay.reordered, stats);
            return r;
        }
    }

    /**
     * Lag of out against in (output index = input index + lag) over the first 2 s: both signals
     * low-passed and decimated by 8 (block means) for a search over 0..1 s, then refined at 48 kHz.
     */
    static int globalLag(short[] in, short[] out) {
        int dec = 8;
        int span = Math.min(in.length, 2 * RATE) / dec;
        double[] x = decimate(in, dec);
        double[] y = decimate(out, dec);
        int best = 0;
        double bestC = -2;
        for (int lag = 0; lag <= RATE / dec; lag++) {
            double xy = 0, xx = 0, yy = 0;
            for (int i = 0; i < span && i + lag < y.length; i++) {
                xy += x[i] * y[i + lag];
                xx += x[i] * x[i];
                yy += y[i + lag] * y[i + lag];
            }
            double c = xx == 0 || yy == 0 ? 0 : xy / Math.sqrt(xx * yy);
            if (c > bestC) {
                bestC = c;
                best = lag;
            }
        }
        return AudioFixtures.bestLag(in, out, 0, span * dec, Math.max(0, best * dec - 2 * dec), best * dec + 2 * dec);
    }

    private static double[] decimate(short[] s, int dec) {
        double[] d = new double[s.length / dec];
        for (int i = 0; i < d.length; i++) {
            double sum = 0;
            for (int j = 0; j < dec; j++) {
                sum += s[i * dec + j];
            }
            d[i] = sum / dec;
        }
        return d;
    }

    @Test
    void cleanNetworkGivesACloseMatch() throws Exception {
        Result r = call("0% loss", ImpairingRelay.Impairment.none(), true, 11);
        assertThat(r.similarity).isGreaterThan(0.85);
        assertThat(r.delayMs).isBetween(20.0, 200.0);
        assertThat(r.stats.packetsLost()).isZero();
        assertThat(r.stats.late()).isZero();
        // nothing concealed for loss; underruns, if any, come from the shared machine stalling the test's threads
        assertThat(r.concealedForLoss).isZero();
        assertThat(r.stats.mos()).isGreaterThanOrEqualTo(4.0);
        assertThat(r.stats.rttMs()).isBetween(0.0, 50.0);
        assertThat(r.dtmf).containsExactly("11/4800");
        assertThat(r.byeSeen).isTrue();
    }

    @Test
    void fivePercentRandomLossWithFecStillMatchesWell() throws Exception {
        Result r = call("5% random loss, FEC", ImpairingRelay.Impairment.randomLoss(0.05), true, 12);
        assertThat(r.relayDropped).isPositive();
        assertThat(r.stats.fecRecovered()).isPositive();
        assertThat(r.similarity).isGreaterThan(0.7);
        assertThat(r.stats.mos()).isGreaterThanOrEqualTo(3.8);
    }

    @Test
    void burstyLossJitterReorderingAndDuplicationAreSurvived() throws Exception {
        // 2% random loss, bursts (enter 1%, leave 40%), up to 60 ms jitter, 5% of packets 50 ms late,
        // 3% duplicated
        ImpairingRelay.Impairment imp = new ImpairingRelay.Impairment(0.02, 0.01, 0.4, 60, 0.05, 50, 0.03);
        Result r = call("bursty loss+jitter+reorder", imp, true, 13);
        assertThat(r.relayDropped).isPositive();
        assertThat(r.relayDuplicated).isPositive();
        assertThat(r.stats.duplicates()).isPositive();
        assertThat(r.stats.burstR()).isGreaterThanOrEqualTo(1.0);
        assertThat(r.similarity).isGreaterThan(0.5);
        assertThat(r.stats.mos()).isGreaterThan(3.0);
    }
}
