package org.openzoep.media.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openzoep.media.device.virtual.Clock;
import org.openzoep.media.device.virtual.ManualClock;
import org.openzoep.media.device.virtual.VirtualDevice;
import org.openzoep.media.device.wav.WavSink;
import org.openzoep.media.device.wav.WavSource;
import org.openzoep.media.testsupport.Await;
import org.openzoep.media.testsupport.AudioFixtures;

class AudioLoopTest {

    @TempDir
    Path dir;

    /** Writes {@code pcm} (48 kHz mono) as a WAV file through WavSink. */
    private Path wav(String name, short[] pcm) throws Exception {
        Path file = dir.resolve(name);
        try (WavSink sink = WavSink.create(file)) {
            for (int off = 0; off + 480 <= pcm.length; off += 480) {
                assertThat(sink.write(pcm, off)).isEqualTo(480);
            }
        }
        return file;
    }

    @Test
    void aManualClockPacesTheLoopFrameByFrame() throws Exception {
        short[] captureSignal = AudioFixtures.tone(48000, 500, 9000, 480 * 40);
        short[] playSignal = AudioFixtures.tone(48000, 1200, 7000, 480 * 30);
        Path out = dir.resolve("played.wav");
        ManualClock clock = new ManualClock();
        FrameRing captured = new FrameRing(64);
        FrameRing toPlay = new FrameRing(64);
        for (int off = 0; off < playSignal.length; off += 480) {
            toPlay.write(playSignal, off);
        }
        VirtualDevice device = VirtualDevice.paced("virtual", clock, WavSource.open(wav("in.wav", captureSignal), false),
                WavSink.create(out));
        AudioLoop loop = new AudioLoop(device, captured, toPlay);
        loop.start();
        for (int tick = 1; tick <= 50; tick++) {
            Await.until("the loop to wait for tick " + tick, Duration.ofSeconds(5), () -> clock.waiters() == 1);
            clock.advance(AudioDevice.FRAME_NANOS);
            int expected = tick;
            Await.until("period " + tick, Duration.ofSeconds(5), () -> loop.periods() == expected);
            // The loop waits for the next tick: it never runs ahead of the clock.
            assertThat(loop.periods()).isEqualTo(tick);
        }
        assertThat(loop.stop(5000)).isTrue();
        device.close();

        AudioLoop.Stats stats = loop.stats();
        assertThat(stats.periods()).isEqualTo(50);
        assertThat(stats.playbackUnderruns()).isEqualTo(20); // 30 frames queued, 50 periods
        assertThat(stats.captureOverruns()).isZero();
        assertThat(device.sourceUnderruns()).isEqualTo(10); // 40 frames in the file
        assertThat(captured.size()).isEqualTo(50);
        short[] frame = new short[480];
        for (int f = 0; f < 40; f++) {
            captured.read(frame, 0);
            assertThat(java.util.Arrays.copyOfRange(captureSignal, f * 480, f * 480 + 480)).as("captured frame %d", f).isEqualTo(frame);
        }
        WavSource played = WavSource.open(out, false);
        assertThat(played.samples()).hasSize(50 * 480);
        assertThat(java.util.Arrays.copyOf(played.samples(), playSignal.length)).isEqualTo(playSignal);
        assertThat(AudioFixtures.rms(played.samples(), playSignal.length, 20 * 480)).isZero();
    }

    @Test
    void theSystemClockHoldsTenMillisecondPeriodsWithoutAllocating() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FrameRing captured = new FrameRing(8);
        FrameRing toPlay = new FrameRing(8);
        short[] tone = AudioFixtures.tone(48000, 440, 5000, 480);
        VirtualDevice device = VirtualDevice.paced("virtual-rt", Clock.system(), (f, o) -> {
            System.arraycopy(tone, 0, f, o, 480);
            return 480;
        }, null);
        AudioLoop loop = new AudioLoop(device, captured, toPlay);
        short[] frame = new short[480];
        loop.start();
        // The test thread plays the far end: drains capture, feeds playback, as the network side would.
        long deadline = System.nanoTime() + 5_000_000_000L;
        long allocatedAtWarm = -1;
        while (loop.periods() < 150 && System.nanoTime() < deadline) {
            if (captured.read(frame, 0) > 0) {
                while (toPlay.write(frame, 0) == 0) {
                    Thread.onSpinWait();
                }
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(500_000);
            }
            if (allocatedAtWarm < 0 && loop.periods() >= 50) {
                allocatedAtWarm = mx.getThreadAllocatedBytes(loop.threadId());
            }
        }
        long allocated = mx.getThreadAllocatedBytes(loop.threadId()) - allocatedAtWarm;
        assertThat(loop.stop(2000)).isTrue();
        AudioLoop.Stats s = loop.stats();
        System.out.printf("virtual device, system clock: %s; audio thread allocated %d bytes in the last 100 periods%n", s, allocated);
        assertThat(s.periods()).isGreaterThanOrEqualTo(150);
        assertThat(s.meanPeriodMillis()).isBetween(9.8, 10.2);
        assertThat(s.captureOverruns()).isZero();
        assertThat(allocated).isLessThan(1024);
    }

    @Test
    void wavFilesAtOtherRatesAndStereoAreConverted(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("tone16k-stereo.wav");
        AudioFixtures.run("sox (Debian package sox)", "sox", "-n", "-r", "16000", "-c", "2", "-b", "16", file.toString(),
                "synth", "1", "sine", "1000", "vol", "0.5");
        WavSource src = WavSource.open(file, false);
        assertThat(src.sourceRate()).isEqualTo(16000);
        assertThat(src.sourceChannels()).isEqualTo(2);
        assertThat(src.samples().length).isEqualTo(48000);
        short[] ideal = AudioFixtures.tone(48000, 1000, 16384, 48000);
        int lag = AudioFixtures.bestLag(ideal, src.samples(), 4800, 38400, 0, 47);
        assertThat(AudioFixtures.correlation(ideal, src.samples(), 4800, 38400, lag)).isGreaterThan(0.999);
        short[] frame = new short[480];
        int frames = 0;
        while (src.read(frame, 0) > 0) {
            frames++;
        }
        assertThat(frames).isEqualTo(100);
        assertThat(src.finished()).isTrue();
        Files.writeString(tmp.resolve("bad.wav"), "not a wav file");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WavSource.open(tmp.resolve("bad.wav"), false))
                .hasMessageContaining("not a RIFF WAVE");
    }
}
