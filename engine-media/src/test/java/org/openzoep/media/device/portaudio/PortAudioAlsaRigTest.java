package org.openzoep.media.device.portaudio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.media.device.AudioDeviceException;
import org.openzoep.media.device.AudioLoop;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.FrameRing;
import org.openzoep.media.testsupport.Await;
import org.openzoep.media.testsupport.AudioFixtures;

/**
 * PortAudio for real, content rig: an ALSA {@code file} plugin PCM named {@code zoeptest} that
 * captures from a known raw file and plays into another (TESTING.md). ALSA reads its configuration
 * when PortAudio initialises, so this class runs in its own surefire fork whose environment sets
 * {@code ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:target/alsa-rig/zoeptest.conf}; the test
 * writes that file before the first {@code Pa_Initialize}. The device has no clock (it runs far
 * faster than real time), so this rig answers content questions only.
 */
class PortAudioAlsaRigTest {

    private static Path dir;
    private static Path captureFile;
    private static Path playFile;
    private static short[] signal;
    private static PortAudio portAudio;

    @BeforeAll
    static void writeRig() throws Exception {
        String env = System.getenv("ALSA_CONFIG_PATH");
        if (env == null || !env.contains(":")) {
            throw new IllegalStateException("ALSA_CONFIG_PATH is not set to alsa.conf:<rig conf>; run through "
                    + "'mvn verify' (the surefire execution alsa-rig of engine-media sets it)");
        }
        Path conf = Path.of(env.substring(env.lastIndexOf(':') + 1)).toAbsolutePath();
        dir = conf.getParent();
        Files.createDirectories(dir);
        captureFile = dir.resolve("capture.raw");
        playFile = dir.resolve("play.raw");
        Files.deleteIfExists(playFile);
        // The known signal: 3 s of espeak-ng speech at 48 kHz, then 200 ms of a 1 kHz tone.
        short[] speech = AudioFixtures.speech(48000);
        short[] tone = AudioFixtures.tone(48000, 1000, 12000, 9600);
        int frames = (144000 + tone.length) / 480;
        signal = new short[frames * 480];
        System.arraycopy(speech, 24000, signal, 0, 144000);
        System.arraycopy(tone, 0, signal, 144000, tone.length);
        ByteBuffer b = ByteBuffer.allocate(signal.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(signal);
        Files.write(captureFile, b.array());
        Files.writeString(conf, "pcm.zoeptest {\n  type file\n  slave.pcm { type null }\n  file \"" + playFile
                + "\"\n  infile \"" + captureFile + "\"\n  format \"raw\"\n}\n");
        portAudio = PortAudio.initialize();
    }

    @AfterAll
    static void close() {
        if (portAudio != null) {
            portAudio.close();
        }
    }

    @Test
    void listsTheRigDeviceAndFindsItByNameAndIndex() {
        System.out.println(portAudio.versionText());
        portAudio.hostApis().forEach(h -> System.out.println("host API " + h));
        portAudio.devices().forEach(d -> System.out.println("device " + d));
        assertThat(portAudio.hostApis()).anyMatch(h -> h.name().equals("ALSA"));
        PortAudio.DeviceInfo d = portAudio.find("zoeptest");
        assertThat(d.hostApiName()).isEqualTo("ALSA");
        assertThat(d.maxInputChannels()).isPositive();
        assertThat(d.maxOutputChannels()).isPositive();
        assertThat(portAudio.find(Integer.toString(d.index()))).isEqualTo(d);
        assertThat(portAudio.find("ALSA:ZOEP")).isEqualTo(d);
        assertThatThrownBy(() -> portAudio.find("no-such-device"))
                .isInstanceOf(AudioDeviceException.class).hasMessageContaining("zoeptest");
    }

    @Test
    void capturesTheKnownSignalAndPlaysItBackIntoTheFileUnchanged() throws Exception {
        PortAudio.DeviceInfo info = portAudio.find("zoeptest");
        int frames = signal.length / 480;
        AtomicLong captured = new AtomicLong();
        // Loopback inside the loop: each captured frame goes into a ring and straight out again.
        FrameRing ring = new FrameRing(16);
        AudioSink consumer = (f, o) -> {
            captured.incrementAndGet();
            return ring.write(f, o);
        };
        try (PortAudioDevice device = portAudio.open(info)) {
            assertThat(device.sampleRate()).isEqualTo(48000.0);
            AudioLoop loop = new AudioLoop(device, consumer, ring);
            loop.start();
            Await.until("all " + frames + " frames captured", Duration.ofSeconds(30),
                    () -> captured.get() >= frames + 20 || !loop.isRunning());
            assertThat(loop.stop(5000)).isTrue();
            System.out.println("ALSA file rig: " + loop.stats() + ", last error " + device.lastError());
            assertThat(loop.failure()).isNull();
            assertThat(loop.stats().deviceErrors()).isZero();
            assertThat(loop.stats().playbackUnderruns()).isZero();
        }
        byte[] played = Files.readAllBytes(playFile);
        short[] out = new short[played.length / 2];
        ByteBuffer.wrap(played).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        // PortAudio may prime the output with silence: find where the signal starts, then demand every sample.
        int start = -1;
        for (int i = 0; i + signal.length <= out.length && start < 0; i++) {
            if (out[i] == signal[0] && out[i + 1] == signal[1] && out[i + 2] == signal[2] && out[i + 480] == signal[480]) {
                start = i;
            }
        }
        System.out.printf("ALSA file rig: played %d samples, the captured signal starts at sample %d%n", out.length, start);
        assertThat(start).as("captured signal found in the played file").isNotNegative();
        for (int i = 0; i < start; i++) {
            assertThat(out[i]).as("priming sample %d is silence", i).isZero();
        }
        short[] aligned = java.util.Arrays.copyOfRange(out, start, start + signal.length);
        assertThat(aligned).as("played file equals the captured signal, sample for sample").isEqualTo(signal);
    }
}
