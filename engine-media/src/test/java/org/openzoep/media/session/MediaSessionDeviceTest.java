package org.openzoep.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioLoop;
import org.openzoep.media.device.FrameSizeAdapter;
import org.openzoep.media.device.virtual.Clock;
import org.openzoep.media.device.virtual.VirtualDevice;
import org.openzoep.media.quality.StreamStats;

/**
 * Two sessions each driven by the engine's own audio thread ({@link AudioLoop}) over a virtual
 * device paced by the system clock in 10 ms periods, joined to the 20 ms codec frames by a
 * {@link FrameSizeAdapter}: speech captured by A's device comes out of B's device.
 */
class MediaSessionDeviceTest {

    @Test
    void speechFromOneDeviceComesOutOfTheOther() throws Exception {
        short[] speech = AudioFixtures.speech(48000);
        int period = AudioDevice.FRAME_SAMPLES;
        short[] recorded = new short[speech.length + 48000];
        AtomicInteger readPos = new AtomicInteger();
        AtomicInteger writePos = new AtomicInteger();
        // where B's recording stood when A captured its first sample: B's device starts first, and
        // that head start is not delay
        AtomicInteger headStart = new AtomicInteger(-1);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (OpusEncoder encA = OpusEncoder.builder().build();
                OpusEncoder encB = OpusEncoder.builder().build();
                OpusDecoder decA = new OpusDecoder();
                OpusDecoder decB = new OpusDecoder()) {
            MediaSession a = MediaSession.builder(group, any, any, encA, decA).random(new SplittableRandom(21))
                    .start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            MediaSession b = MediaSession.builder(group, any, a.localAddress(), encB, decB)
                    .random(new SplittableRandom(22)).start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.remoteAddress(b.localAddress());

            VirtualDevice devA = VirtualDevice.paced("a", Clock.system(), (frame, off) -> {
                int p = readPos.getAndAdd(period);
                if (p == 0) {
                    headStart.set(writePos.get());
                }
                for (int i = 0; i < period; i++) {
                    frame[off + i] = p + i < speech.length ? speech[p + i] : 0;
                }
                return period;
            }, (frame, off) -> period);
            VirtualDevice devB = VirtualDevice.paced("b", Clock.system(), (frame, off) -> {
                java.util.Arrays.fill(frame, off, off + period, (short) 0);
                return period;
            }, (frame, off) -> {
                int p = writePos.get();
                if (p + period <= recorded.length) {
                    System.arraycopy(frame, off, recorded, p, period);
                    writePos.set(p + period);
                }
                return period;
            });
            FrameSizeAdapter adA = new FrameSizeAdapter(960, a::captureFrame, a::playbackFrame);
            FrameSizeAdapter adB = new FrameSizeAdapter(960, b::captureFrame, b::playbackFrame);
            AudioLoop loopA = new AudioLoop(devA, adA, adA);
            AudioLoop loopB = new AudioLoop(devB, adB, adB);
            loopB.start();
            loopA.start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(recorded.length / 48 + 30_000);
            while (writePos.get() + period <= recorded.length && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(loopA.stop(10_000)).isTrue();
            assertThat(loopB.stop(10_000)).isTrue();
            assertThat(loopA.failure()).isNull();
            assertThat(loopB.failure()).isNull();
            StreamStats stats = b.stats();
            org.openzoep.media.jitter.JitterBuffer jb = b.jitterBuffer();
            System.out.printf("device loop jitter buffer: target %.0f ms, delay %.0f ms, underruns %d, concealed %d,"
                    + " accelerate %d (-%d samples), expand %d (+%d samples), head start %d samples%n",
                    jb.targetDelayMillis(), jb.currentDelayMillis(), jb.underrunFrames(), jb.concealedFrames(),
                    jb.accelerateOperations(), jb.samplesRemoved(), jb.expandOperations(), jb.samplesInserted(),
                    headStart.get());
            a.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(writePos.get() + period).isGreaterThan(recorded.length);
            int lag = MediaSessionEndToEndTest.globalLag(speech, recorded);
            double[] seg = AudioFixtures.segmental(speech, recorded, lag);
            double delayMs = (seg[1] - headStart.get()) * 1000 / 48000;
            System.out.printf("device loop: capture-to-playback delay %.1f ms, similarity %.3f; loops %s / %s; %s%n",
                    delayMs, seg[0], loopA.stats(), loopB.stats(), stats);
            // a stall of A's audio thread at start-up (the machine is shared) is captured late and
            // shows as delay that the jitter buffer then accelerates away during the call; the
            // figure is the median over the call
            assertThat(delayMs).isBetween(20.0, 500.0);
            assertThat(seg[0]).isGreaterThan(0.8);
            assertThat(stats.packetsLost()).isZero();
            assertThat(stats.mos()).isGreaterThanOrEqualTo(4.0);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
