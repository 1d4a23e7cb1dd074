package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.Account;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.testsupport.Await;
import org.openzoep.testkit.ProsodyServer;

/**
 * A call on a real sound device: alice's side of the call runs on PortAudio over JACK's dummy
 * driver (real-time pacing, no hardware), with the device's output wired back to its input by
 * {@code jack_connect}. Bob speaks; his voice crosses the call, plays on alice's device, comes
 * back in through the device's capture, crosses the call again, and bob's recording must hold his
 * own speech. Runs in engine-core's {@code jack-rig} surefire execution, which names the JACK
 * server; the test starts and stops {@code jackd}.
 */
class DeviceCallJackRigTest {
    static String server;
    static Process jackd;
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() throws Exception {
        server = System.getenv("JACK_DEFAULT_SERVER");
        if (server == null || server.isBlank()) {
            throw new IllegalStateException("JACK_DEFAULT_SERVER is not set; run through 'mvn verify' "
                    + "(the surefire execution jack-rig of engine-core sets it)");
        }
        Path dir = Files.createDirectories(Path.of("target", "jack-rig"));
        Path log = dir.resolve("jackd.log");
        try {
            jackd = new ProcessBuilder("jackd", "--no-realtime", "-n", server, "-d", "dummy", "-r", "48000", "-p", "480")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start jackd: install the Debian package jackd2", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!jack("jack_lsp").contains("system:playback_1")) {
            assertThat(jackd.isAlive()).as("jackd runs: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("jackd serving within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw").start();
        engine = CallRig.engine().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (jackd != null) {
            jackd.destroy();
            if (!jackd.waitFor(10, TimeUnit.SECONDS)) {
                jackd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static String jack(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd[0] + ": install the Debian package jackd2", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Speech that starts only once armed (silence before). */
    static final class ArmedSpeech implements AudioSource {
        final short[] pcm;
        volatile boolean armed;
        volatile int position;

        ArmedSpeech(short[] pcm) {
            this.pcm = pcm;
        }

        @Override
        public int read(short[] frame, int offset) {
            int n = AudioDevice.FRAME_SAMPLES;
            int p = position;
            for (int i = 0; i < n; i++) {
                frame[offset + i] = armed && p + i < pcm.length ? pcm[p + i] : 0;
            }
            if (armed) {
                position = p + n;
            }
            return n;
        }
    }


    @Test
    void speechCrossesTheCallThroughASoundDeviceAndBack() throws Exception {
        CallEvents ae = new CallEvents();
        CallEvents be = new CallEvents();
        Account alice = CallRig.online(engine, ae, prosody, "alice", "rig");
        Account bob = CallRig.online(engine, be, prosody, "bob", "rig");
        short[] speech = Arrays.copyOf(AudioFixtures.speech(48000), 48000 * 4);
        ArmedSpeech voice = new ArmedSpeech(speech);
        PcmRecorder heardByBob = new PcmRecorder(48000 * 20);
        bob.defaultAudio(CallAudio.of(voice, heardByBob)).toCompletableFuture().get();

        Call call = alice.call(bob.jid(), CallAudio.device("system", "system")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        be.next(CallEvent.Kind.INCOMING, 10).call().answer();
        ae.next(CallEvent.Kind.JOINED, 15);
        be.next(CallEvent.Kind.JOINED, 15);

        // wire alice's PortAudio client: its output feeds its own input, nothing else does
        List<String> ours = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ours.isEmpty() && System.nanoTime() < deadline) {
            for (String line : jack("jack_lsp").split("\n")) {
                if (!line.startsWith("system:") && !line.isBlank()) {
                    ours.add(line.trim());
                }
            }
            Thread.sleep(100);
        }
        String out = ours.stream().filter(p -> p.matches(".*:out_\\d+$")).sorted().findFirst()
                .orElseThrow(() -> new AssertionError("no PortAudio output port in " + ours));
        String in = ours.stream().filter(p -> p.matches(".*:in_\\d+$")).sorted().findFirst()
                .orElseThrow(() -> new AssertionError("no PortAudio input port in " + ours));
        jack("jack_disconnect", "system:capture_1", in);
        jack("jack_connect", out, in);
        assertThat(jack("jack_lsp", "-c", out)).contains(in);

        int armedAt = heardByBob.recorded().length;
        voice.armed = true;
        // bob's recording advances a frame per frame: wait for the speech plus 1.5 s of round trip
        Await.until("bob's speech back through the device", Duration.ofSeconds(20),
                () -> heardByBob.recorded().length >= armedAt + speech.length + 48000 * 3 / 2);
        short[] heard = heardByBob.recorded();
        heard = Arrays.copyOfRange(heard, armedAt, heard.length);
        call.hangup();
        ae.next(CallEvent.Kind.ENDED, 10);
        be.next(CallEvent.Kind.ENDED, 10);
        engine.unregisterAccount(alice);
        engine.unregisterAccount(bob);

        assertThat(call.stats().packetsReceived()).isGreaterThan(100);
        // from the moment bob spoke: the round trip (two calls' worth of jitter buffers, the device) is under 1.5 s
        double similarity = Similarity.speech(speech, heard, 48000 * 3 / 2);
        System.out.printf("device call: bob heard his own speech back through alice's device, similarity %.3f%n",
                similarity);
        assertThat(similarity).isGreaterThan(0.6);
    }
}
