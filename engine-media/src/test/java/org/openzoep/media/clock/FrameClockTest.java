package org.openzoep.media.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.device.virtual.Clock;
import org.openzoep.media.device.virtual.ManualClock;
import org.openzoep.media.device.virtual.VirtualDevice;
import org.openzoep.media.session.Conference;
import org.openzoep.media.session.MediaSession;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.testsupport.Await;

/**
 * The media clock: pacing, staggering, least-loaded attach, missed deadlines and detach under a
 * {@link ManualClock}; the real clock's rate; and a call whose one end is timer-paced and whose
 * other end is device-paced, over real sessions on loopback.
 */
class FrameClockTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final long MS = 1_000_000L;
    private static final int PERIOD = AudioDevice.FRAME_SAMPLES;

    /** Counts 10 ms reads and the threads that made them. */
    static final class CountingSource implements AudioSource {
        final AtomicInteger reads = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public int read(short[] frame, int offset) {
            if (reads.getAndIncrement() % 2 == 0) {
                threads.add(Thread.currentThread().getName());
            }
            java.util.Arrays.fill(frame, offset, offset + PERIOD, (short) 1000);
            return PERIOD;
        }
    }


    /** Advances the manual clock once all timer threads wait on it, then lets them run. */
    static void step(FrameClock frames, ManualClock clock, int threads, long nanos) throws InterruptedException {
        Await.until("timer threads waiting", TIMEOUT, () -> clock.waiters() == threads);
        clock.advance(nanos);
        long now = clock.nanoTime();
        Await.until("timer threads done with the step", TIMEOUT, () -> frames.idleAfter(now) && clock.waiters() == threads);
    }

    static Conference conference() {
        return new Conference(2, 960);
    }

    @Test
    void runsEachCallOncePerFrame() throws Exception {
        ManualClock time = new ManualClock();
        try (FrameClock clock = new FrameClock(1, 20, "t-once-", time)) {
            CountingSource src = new CountingSource();
            AtomicInteger written = new AtomicInteger();
            FrameClock.Attachment a = clock.attach(conference(), src, (f, o) -> written.incrementAndGet());
            step(clock, time, 1, 19 * MS);
            assertEquals(0, a.frames(), "nothing before the first frame is due");
            step(clock, time, 1, MS);
            assertEquals(1, a.frames());
            assertEquals(2, src.reads.get(), "a 20 ms frame is two 10 ms reads");
            assertEquals(2, written.get(), "and two 10 ms writes");
            step(clock, time, 1, 20 * MS);
            step(clock, time, 1, 20 * MS);
            assertEquals(3, a.frames());
            assertEquals(3, clock.frames());
            assertEquals(0, clock.missedDeadlines());
            assertEquals(1, clock.calls());
            a.close();
            step(clock, time, 1, 20 * MS);
            assertEquals(3, a.frames(), "detached: not run again");
            assertEquals(0, clock.calls());
            assertEquals(3, clock.frames(), "a thread without calls counts no frames");
        }
    }

    @Test
    void staggersTheThreadsAndAttachesToTheLeastLoaded() throws Exception {
        ManualClock time = new ManualClock();
        try (FrameClock clock = new FrameClock(2, 20, "t-stagger-", time)) {
            CountingSource[] src = new CountingSource[4];
            FrameClock.Attachment[] a = new FrameClock.Attachment[4];
            for (int i = 0; i < 4; i++) {
                src[i] = new CountingSource();
                a[i] = clock.attach(conference(), src[i], null);
            }
            step(clock, time, 2, 20 * MS);
            // thread 0's first frame is at 20 ms, thread 1's half a frame later, at 30 ms
            assertEquals(1, clock.frames(), "only the first thread ran at 20 ms");
            step(clock, time, 2, 10 * MS);
            assertEquals(2, clock.frames());
            for (int i = 0; i < 4; i++) {
                assertEquals(1, a[i].frames(), "call " + i);
            }
            // ties go to the first thread: 0 and 2 on thread 0, 1 and 3 on thread 1
            assertEquals(List.of("t-stagger-0", "t-stagger-1", "t-stagger-0", "t-stagger-1"), List.of(
                    src[0].threads.get(0), src[1].threads.get(0), src[2].threads.get(0), src[3].threads.get(0)));
            a[0].close();
            a[2].close();
            a[1].close();
            CountingSource late = new CountingSource();
            FrameClock.Attachment l = clock.attach(conference(), late, null);
            step(clock, time, 2, 20 * MS);
            assertEquals(1, l.frames());
            assertEquals("t-stagger-0", late.threads.get(0), "thread 0 went empty and got the new call, not thread 1");
            assertEquals(2, a[3].frames());
        }
    }

    @Test
    void countsMissedDeadlinesAndSkipsAheadOnTheFrameGrid() throws Exception {
        ManualClock time = new ManualClock();
        try (FrameClock clock = new FrameClock(1, 20, "t-late-", time)) {
            AtomicBoolean slow = new AtomicBoolean();
            FrameClock.Attachment a = clock.attach(conference(), (f, o) -> {
                if (slow.getAndSet(false)) {
                    time.advance(50 * MS); // this frame's work takes 50 ms
                }
                return PERIOD;
            }, (f, o) -> PERIOD);
            step(clock, time, 1, 20 * MS);
            assertEquals(1, a.frames());
            slow.set(true);
            step(clock, time, 1, 20 * MS); // the frame due at 40 ms ends at 90 ms
            assertEquals(2, a.frames());
            assertEquals(1, clock.missedDeadlines());
            assertEquals(50 * MS, clock.maxFrameNanos());
            // 60 and 80 ms are skipped; the next frame is at 100 ms, on the grid
            step(clock, time, 1, 9 * MS);
            assertEquals(2, a.frames(), "99 ms: nothing");
            step(clock, time, 1, MS);
            assertEquals(3, a.frames(), "100 ms: the next frame");
            assertEquals(1, clock.missedDeadlines());
            clock.resetStats();
            assertEquals(0, clock.missedDeadlines());
            assertEquals(0, clock.maxFrameNanos());
            assertEquals(0, clock.frames());
        }
    }

    @Test
    void closeWaitsUntilTheFrameInProgressEnds() throws Exception {
        ManualClock time = new ManualClock();
        try (FrameClock clock = new FrameClock(1, 20, "t-detach-", time)) {
            CountDownLatch inRead = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger readsAfterClose = new AtomicInteger();
            AtomicBoolean closed = new AtomicBoolean();
            FrameClock.Attachment a = clock.attach(conference(), (f, o) -> {
                if (closed.get()) {
                    readsAfterClose.incrementAndGet();
                }
                inRead.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return PERIOD;
            }, null);
            Await.until("waiting", TIMEOUT, () -> time.waiters() == 1);
            time.advance(20 * MS);
            assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                a.close();
                closed.set(true);
            });
            Await.stays("close waits for the frame in progress", Duration.ofMillis(100), () -> !closing.isDone());
            release.countDown();
            closing.get(10, TimeUnit.SECONDS);
            step(clock, time, 1, 20 * MS);
            step(clock, time, 1, 20 * MS);
            assertEquals(0, readsAfterClose.get());
            assertEquals(1, a.frames());
        }
    }

    @Test
    void aThrowingSourceIsCountedAndTheOtherCallsGoOn() throws Exception {
        ManualClock time = new ManualClock();
        try (FrameClock clock = new FrameClock(1, 20, "t-throw-", time)) {
            FrameClock.Attachment bad = clock.attach(conference(), (f, o) -> {
                throw new IllegalStateException("a buggy source");
            }, null);
            CountingSource good = new CountingSource();
            FrameClock.Attachment ok = clock.attach(conference(), good, null);
            step(clock, time, 1, 20 * MS);
            step(clock, time, 1, 20 * MS);
            assertEquals(2, clock.errors());
            assertEquals(2, ok.frames());
            assertEquals(2, bad.frames(), "the frame still runs, on silence");
            assertEquals(4, good.reads.get());
        }
    }

    @Test
    void refusesAConferenceOfAnotherFrameAndAttachAfterClose() {
        FrameClock clock = new FrameClock(1, 20, "t-refuse-", new ManualClock());
        assertEquals(960, clock.frameSamples());
        assertThatThrownBy(() -> clock.attach(new Conference(2, 480), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        clock.close();
        assertThatThrownBy(() -> clock.attach(conference(), null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSystemClockRunsFiftyFramesASecondAtMost() throws Exception {
        try (FrameClock clock = new FrameClock(2, 20, "t-real-")) {
            long start = System.nanoTime();
            FrameClock.Attachment a = clock.attach(conference(), null, null);
            Await.until("25 frames", TIMEOUT, () -> a.frames() >= 25);
            long frames = a.frames();
            long elapsedMs = (System.nanoTime() - start) / MS;
            a.close();
            assertThat(frames).isBetween(5L, elapsedMs / 20 + 2);
        }
    }

    /**
     * A call between two conferences over real Opus sessions on loopback: A on a timer thread with
     * a 440 Hz source, B on a (virtual) sound device with 1000 Hz. Each side hears the other's tone.
     */
    @Test
    void timerPacedAndDevicePacedEndsHearEachOther() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        short[] toneA = org.openzoep.media.testsupport.AudioFixtures.tone(48000, 440, 8000, 48000);
        short[] toneB = org.openzoep.media.testsupport.AudioFixtures.tone(48000, 1000, 8000, 48000);
        short[] heardByA = new short[48000];
        short[] heardByB = new short[48000];
        AtomicInteger posA = new AtomicInteger();
        AtomicInteger posB = new AtomicInteger();
        try (FrameClock clock = new FrameClock(1, 20, "t-call-");
                OpusEncoder encA = OpusEncoder.builder().build();
                OpusEncoder encB = OpusEncoder.builder().build();
                OpusDecoder decA = new OpusDecoder();
                OpusDecoder decB = new OpusDecoder()) {
            MediaSession a = MediaSession.builder(group, any, any, encA, decA).random(new SplittableRandom(1))
                    .start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            MediaSession b = MediaSession.builder(group, any, a.localAddress(), encB, decB)
                    .random(new SplittableRandom(2)).start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.remoteAddress(b.localAddress());
            Conference confA = conference();
            Conference confB = conference();
            confA.add(a);
            confB.add(b);
            AtomicInteger srcA = new AtomicInteger();
            AtomicInteger srcB = new AtomicInteger();
            FrameClock.Attachment atA = clock.attach(confA, loop(toneA, srcA), record(heardByA, posA));
            AtomicBoolean deviceClosed = new AtomicBoolean();
            VirtualDevice devB = VirtualDevice.paced("b", Clock.system(), loop(toneB, srcB), record(heardByB, posB));
            FrameClock.Attachment atB = clock.attachDevice(confB, new ClosingDevice(devB, deviceClosed));
            assertEquals(2, clock.calls());
            assertEquals(1, clock.deviceCalls());
            Await.until("a second heard on both ends", TIMEOUT, () -> posA.get() >= heardByA.length && posB.get() >= heardByB.length);
            atA.close();
            atB.close();
            assertThat(deviceClosed).isTrue();
            assertEquals(0, clock.calls());
            long framesB = atB.frames();
            Await.stays("the device loop has stopped", Duration.ofMillis(60), () -> atB.frames() == framesB);
            a.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);

            // the last half second, after the jitter buffers have settled
            assertThat(AudioFixtures.toneShare(heardByB, 24000, 440)).as("B hears A's 440 Hz").isGreaterThan(0.5);
            assertThat(AudioFixtures.toneShare(heardByB, 24000, 1000)).as("B does not hear itself").isLessThan(0.05);
            assertThat(AudioFixtures.toneShare(heardByA, 24000, 1000)).as("A hears B's 1000 Hz").isGreaterThan(0.5);
            assertThat(AudioFixtures.toneShare(heardByA, 24000, 440)).isLessThan(0.05);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static AudioSource loop(short[] tone, AtomicInteger pos) {
        return (frame, off) -> {
            int p = pos.getAndAdd(PERIOD) % tone.length;
            System.arraycopy(tone, p, frame, off, PERIOD);
            return PERIOD;
        };
    }

    static AudioSink record(short[] into, AtomicInteger pos) {
        return (frame, off) -> {
            int p = pos.get();
            if (p + PERIOD <= into.length) {
                System.arraycopy(frame, off, into, p, PERIOD);
                pos.set(p + PERIOD);
            }
            return PERIOD;
        };
    }


    /** Records that the attachment closed the device it was handed. */
    static final class ClosingDevice implements AudioDevice {
        private final AudioDevice d;
        private final AtomicBoolean closed;

        ClosingDevice(AudioDevice d, AtomicBoolean closed) {
            this.d = d;
            this.closed = closed;
        }

        @Override
        public String name() {
            return d.name();
        }

        @Override
        public boolean hasCapture() {
            return d.hasCapture();
        }

        @Override
        public boolean hasPlayback() {
            return d.hasPlayback();
        }

        @Override
        public void start() {
            d.start();
        }

        @Override
        public void stop() {
            d.stop();
        }

        @Override
        public int read(short[] frame, int offset) {
            return d.read(frame, offset);
        }

        @Override
        public int write(short[] frame, int offset) {
            return d.write(frame, offset);
        }

        @Override
        public void close() {
            d.close();
            closed.set(true);
        }
    }
}
