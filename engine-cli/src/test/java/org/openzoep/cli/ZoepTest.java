package org.openzoep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code zoep} command as a user runs it. */
class ZoepTest {
    static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code;

        Run(String... args) {
            code = Zoep.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void messagingDemoRunsEndToEndOnAPrivateProsody() {
        Run r = new Run("messages", "--messages", "3");
        assertThat(r.err()).isEmpty();
        assertThat(r.code).isZero();
        assertThat(r.out()).contains("alice < <iq type='result' id='auth2'/>")
                .contains("bob   < Hello bob, 3")
                .contains("<body>Hi alice, got 3</body>")
                .contains("alice < <iq type='result' id='bye'/>")
                .contains("alice < </stream:stream>")
                .contains("== done: 3 messages each way");
    }

    @Test
    void helpAndBadArguments() {
        Run help = new Run("--help");
        assertThat(help.code).isZero();
        assertThat(help.out()).contains("usage: zoep").contains("demo");
        Run unknown = new Run("dance");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'dance'");
        Run badOption = new Run("demo", "--fast");
        Run noPeer = new Run("call", "--jid", "a@example.org", "--password", "x");
        assertThat(noPeer.code).isEqualTo(2);
        assertThat(noPeer.err()).contains("--to is required");
        Run unreachable = new Run("call", "--jid", "a@example.org", "--password", "x", "--to", "b@example.org",
                "--server", "127.0.0.1:1");
        assertThat(unreachable.code).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("zoep: cannot connect to example.org");
        assertThat(badOption.code).isEqualTo(2);
        assertThat(badOption.err()).contains("unknown option '--fast'");
    }

    /** The main job: a real call on private servers; alice's speech reaches bob's recording. */
    @Test
    void demoIsARealCall(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Run r = new Run("demo", "--out", dir.toString());
        assertThat(r.code).as("demo output:%n%s%n%s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("type='ringing'").contains("type='joined'").contains("type='left'")
                .contains("bob heard: codec opus/48000/2").contains("== done in").contains(": OK");
        short[] sent = org.openzoep.media.device.wav.WavSource.open(dir.resolve("speech.wav"), false).samples();
        short[] heard = org.openzoep.media.device.wav.WavSource.open(dir.resolve("bob-heard.wav"), false).samples();
        assertThat(heard.length).isGreaterThan(sent.length / 2);
        // the recording was closed before the engine stopped: its RIFF header holds the file's length
        byte[] wav = java.nio.file.Files.readAllBytes(dir.resolve("bob-heard.wav"));
        long riff = java.nio.ByteBuffer.wrap(wav, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        assertThat(riff).isEqualTo(wav.length - 8L);
        double rmsHeard = 0;
        for (short v : heard) {
            rmsHeard += (double) v * v;
        }
        assertThat(Math.sqrt(rmsHeard / heard.length)).as("bob's recording carries sound").isGreaterThan(100);
    }

    /** {@code zoep answer --echo} on one side, {@code zoep call --play --record} on the other. */
    @Test
    void callAndAnswerTools(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (org.openzoep.testkit.ProsodyServer prosody = org.openzoep.testkit.ProsodyServer.builder()
                .account("alice", "alice-pw").account("bot", "bot-pw").start()) {
            String server = prosody.host() + ":" + prosody.port();
            String ca = prosody.caCertificate().toString();
            java.nio.file.Path speech = dir.resolve("speech.wav");
            CallDemo.speak(speech, "Testing the echo bot, one two three.");
            ByteArrayOutputStream botOut = new ByteArrayOutputStream();
            ByteArrayOutputStream botErr = new ByteArrayOutputStream();
            java.util.concurrent.CompletableFuture<Integer> bot = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> Zoep.run(new String[] {"answer", "--jid", "bot@" + prosody.domain() + "/echo", "--password",
                        "bot-pw", "--server", server, "--ca", ca, "--echo", "--calls", "1", "--media-address",
                        "127.0.0.1"}, new PrintStream(botOut, true, StandardCharsets.UTF_8),
                            new PrintStream(botErr, true, StandardCharsets.UTF_8)));
            // the bot is online (logged in, presence sent) once it says it waits
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!botOut.toString(StandardCharsets.UTF_8).contains("waiting for")) {
                assertThat(bot).as("the bot runs: %s", botErr.toString(StandardCharsets.UTF_8)).isNotDone();
                assertThat(System.nanoTime()).as("the bot online within 30 s").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            Run call = new Run("call", "--jid", "alice@" + prosody.domain() + "/cli", "--password", "alice-pw",
                    "--server", server, "--ca", ca, "--to", "bot@" + prosody.domain() + "/echo", "--play",
                    speech.toString(), "--record", dir.resolve("echo.wav").toString(), "--seconds", "5",
                    "--media-address", "127.0.0.1");
            assertThat(call.code).as("call output:%n%s%n%s", call.out(), call.err()).isZero();
            assertThat(call.out()).contains("online as alice@").contains("ACTIVE").contains("call ended: hangup");
            int answered = bot.get(30, java.util.concurrent.TimeUnit.SECONDS);
            String botText = botOut.toString(StandardCharsets.UTF_8);
            assertThat(answered).as("answer output:%n%s%n%s", botText, botErr.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(botText).contains("incoming call from alice@").contains("call ended: remote-hangup");
            short[] echo = org.openzoep.media.device.wav.WavSource.open(dir.resolve("echo.wav"), false).samples();
            double e = 0;
            for (short v : echo) {
                e += (double) v * v;
            }
            assertThat(Math.sqrt(e / Math.max(1, echo.length))).as("the echo came back").isGreaterThan(100);
        }
    }
}
