package org.openzoep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.media.device.wav.WavSource;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * The {@code zoep} command as a child process, the way a user runs it: what it prints on stdout
 * and stderr, and what a real SIGINT (Ctrl-C) does to a call.
 */
class ZoepProcessTest {

    /**
     * The child runs the class path of this test JVM. {@code env --default-signal=INT} gives it
     * the default SIGINT action even when this JVM was started with SIGINT ignored (a background
     * job without job control): the JVM installs no handler for a signal it inherits ignored.
     */
    static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", java, "-cp",
                System.getProperty("java.class.path"), Zoep.class.getName()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return pb.directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile())).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    static void await(String what, long seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %d s", what, seconds).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000L);
        }
    }

    /** Every stdout line matches one of the command's own line shapes. */
    static void onlyOwnLines(String stdout, String... shapes) {
        List<Pattern> ps = Arrays.stream(shapes).map(Pattern::compile).toList();
        assertThat(stdout).isNotBlank();
        for (String line : stdout.split("\n", -1)) {
            if (!line.isEmpty()) {
                assertThat(ps.stream().anyMatch(p -> p.matcher(line).lookingAt()))
                        .as("stdout line is the command's own: '%s'%nall of stdout:%n%s", line, stdout).isTrue();
            }
        }
    }

    /** RIFF and data chunk sizes of a 44-byte-header PCM WAV; both must match the file's length. */
    static void assertWavFinalised(Path wav, long atLeastDataBytes) throws IOException {
        byte[] b = Files.readAllBytes(wav);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.length).as("WAV length").isGreaterThan(44);
        long riff = h.getInt(4) & 0xFFFFFFFFL;
        long data = h.getInt(40) & 0xFFFFFFFFL;
        assertThat(h.getInt(36)).as("'data' chunk id").isEqualTo(0x61746164);
        assertThat(riff).as("RIFF size (file length - 8)").isEqualTo(b.length - 8L);
        assertThat(data).as("data chunk size (file length - 44)").isEqualTo(b.length - 44L);
        assertThat(data).as("recorded bytes").isGreaterThanOrEqualTo(atLeastDataBytes);
    }

    /**
     * The README's main command as a child process: it succeeds, its stdout holds only its own
     * lines, stderr stays empty (no library INFO lines such as libopus's load line), and bob's
     * recording is a finished WAV carrying alice's speech.
     */
    @Test
    void demoPrintsOnlyItsOwnLines(@TempDir Path dir) throws Exception {
        Process p = start(dir, Map.of(), "demo", "--out", dir.resolve("out").toString());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("demo finished within 180 s").isTrue();
        String out = read(dir.resolve("stdout.txt"));
        String err = read(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(err).as("stderr").isEmpty();
        onlyOwnLines(out, "== ", "   ", "alice [<>] ");
        assertThat(out).contains("type='ringing'").contains("type='joined'").contains("type='left'")
                .contains("bob heard: codec opus/48000/2").contains("MOS estimate").contains("== done in")
                .contains(": OK");
        Path out2 = dir.resolve("out");
        short[] sent = WavSource.open(out2.resolve("speech.wav"), false).samples();
        short[] heard = WavSource.open(out2.resolve("bob-heard.wav"), false).samples();
        assertThat(heard.length).isGreaterThan(sent.length / 2);
        assertWavFinalised(out2.resolve("bob-heard.wav"), sent.length);
        double rms = 0;
        for (short v : heard) {
            rms += (double) v * v;
        }
        assertThat(Math.sqrt(rms / heard.length)).as("bob's recording carries sound").isGreaterThan(100);
    }

    /**
     * {@code zoep --verbose call} in a child process, answered by a second engine here; a real
     * SIGINT mid-call: the peer sees the call end as a remote hang-up (it got session-terminate),
     * the child's recording has its WAV sizes written, the child exits with 130. Its stdout holds
     * only the call tool's lines; {@code --verbose} shows library INFO lines on stderr.
     */
    @Test
    void ctrlCDuringACallHangsUpAndFinalisesTheRecording(@TempDir Path dir) throws Exception {
        try (ProsodyServer prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw")
                .start();
                ZoepEngine engine = ZoepEngine.builder().mediaAddresses(List.of(InetAddress.getByName("127.0.0.1")))
                        .build()) {
            Path speech = dir.resolve("speech.wav");
            CallDemo.speak(speech, "This is bob, talking until alice presses control C. One two three four five.");
            BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
            Account bob = engine.registerAccount(new AccountListener() {
                @Override
                public void onCall(Account a, Call call, CallEvent e) {
                    if (e.kind() == CallEvent.Kind.INCOMING) {
                        incoming.add(call);
                        call.answer();
                    }
                }
            });
            bob.configure(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                    .withTls(TlsMode.STARTTLS, prosody.caCertificate())
                    .withIncomingCalls(AccountSettings.IncomingCalls.EVERYONE)).toCompletableFuture().get();
            bob.defaultAudio(CallAudio.files(speech, null)).toCompletableFuture().get();
            Jid bobJid = bob.login(Jid.parse("bob@" + prosody.domain() + "/peer"), "bob-pw").toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            bob.sendPresence(null).toCompletableFuture().get(10, TimeUnit.SECONDS);

            Path heard = dir.resolve("alice-heard.wav");
            // the password from the environment, never on the command line
            Process child = start(dir, Map.of("ZOEP_PASSWORD", "alice-pw"), "--verbose", "call", "--jid",
                    "alice@" + prosody.domain() + "/cli", "--server", prosody.host() + ":" + prosody.port(), "--ca",
                    prosody.caCertificate().toString(), "--to", bobJid.toString(), "--record", heard.toString(),
                    "--media-address", "127.0.0.1");
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");
            try {
                // the call is up and alice has recorded at least a second of bob's speech
                await("the call active in the child", 60, () -> {
                    assertThat(child.isAlive()).as("the child runs; stderr:%n%s", uncheckedRead(stderr)).isTrue();
                    return uncheckedRead(stdout).contains(" ACTIVE ");
                });
                Call call = incoming.poll(10, TimeUnit.SECONDS);
                assertThat(call).as("bob's phone rang").isNotNull();
                await("a second of audio recorded", 30, () -> heard.toFile().length() > 44 + 2 * 48_000);

                new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start().waitFor();

                CallEnd end = call.ended().toCompletableFuture().get(15, TimeUnit.SECONDS);
                assertThat(end.reason()).as("bob's call ended: %s", end).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child exits after the hang-up").isTrue();
            } finally {
                child.destroyForcibly();
            }
            String out = read(stdout);
            String err = read(stderr);
            assertThat(child.exitValue()).as("exit code after SIGINT; stdout:%n%s%nstderr:%n%s", out, err)
                    .isEqualTo(130);
            assertWavFinalised(heard, 2 * 48_000);
            onlyOwnLines(out, "online as ", "calling ", "\\[\\d\\d:\\d\\d\\] ", "   event: ", "   we heard: ",
                    "call ended: ");
            assertThat(out).contains("call ended: hangup");
            assertThat(err).as("--verbose: library INFO lines on stderr").contains("INFO")
                    .contains("libopus");
            bob.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGINT while {@code zoep answer} waits for a call: it stops waiting, logs out, and exits with
     * 130 well before the hook's deadline; nothing on stderr, its own lines on stdout.
     */
    @Test
    void ctrlCWhileAnswerWaitsLogsOutAndExits(@TempDir Path dir) throws Exception {
        try (ProsodyServer prosody = ProsodyServer.builder().account("bot", "bot-pw").start()) {
            Path pw = ZoepTest.privateFile(dir.resolve("bot.pw"), "bot-pw\n");
            Process child = start(dir, Map.of(), "answer", "--jid", "bot@" + prosody.domain() + "/echo",
                    "--password-file", pw.toString(), "--server", prosody.host() + ":" + prosody.port(), "--ca",
                    prosody.caCertificate().toString(), "--echo", "--media-address", "127.0.0.1");
            Path stdout = dir.resolve("stdout.txt");
            try {
                await("the bot waiting", 60, () -> {
                    assertThat(child.isAlive()).as("the child runs; stderr:%n%s", uncheckedRead(dir.resolve(
                            "stderr.txt"))).isTrue();
                    return uncheckedRead(stdout).contains("waiting for 1 call(s)");
                });
                new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start().waitFor();
                // well inside HangupOnExit.DEADLINE (10 s): the wait loop itself noticed, not the deadline
                assertThat(child.waitFor(8, TimeUnit.SECONDS)).as("the child exits after SIGINT").isTrue();
            } finally {
                child.destroyForcibly();
            }
            String out = read(stdout);
            String err = read(dir.resolve("stderr.txt"));
            assertThat(child.exitValue()).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(130);
            assertThat(err).isEmpty();
            onlyOwnLines(out, "online as ", "waiting for ");
        }
    }

    /** SIGINT during {@code zoep demo}'s call: exit 130, bob's recording finished (WAV sizes written). */
    @Test
    void ctrlCDuringTheDemoFinishesTheRecording(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Process child = start(dir, Map.of(), "demo", "--out", out.toString());
        Path stdout = dir.resolve("stdout.txt");
        try {
            await("the demo's call connected", 120, () -> {
                assertThat(child.isAlive()).as("the child runs; stdout:%n%s", uncheckedRead(stdout)).isTrue();
                return uncheckedRead(stdout).contains("   bob  [00:01]");
            });
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start().waitFor();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the demo exits after SIGINT").isTrue();
        } finally {
            child.destroyForcibly();
        }
        String text = read(stdout);
        assertThat(child.exitValue()).as("exit code; stdout:%n%s%nstderr:%n%s", text, read(dir.resolve(
                "stderr.txt"))).isEqualTo(130);
        assertWavFinalised(out.resolve("bob-heard.wav"), 2 * 48_000 / 2);
        assertThat(text).contains("== interrupted: bob hung up");
    }

    private static String uncheckedRead(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
