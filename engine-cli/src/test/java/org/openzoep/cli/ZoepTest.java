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
    void helpForEveryCommand() {
        Run help = new Run("--help");
        assertThat(help.code).isZero();
        assertThat(help.out()).contains("Usage: zoep").contains("demo").contains("call").contains("answer")
                .contains("messages").contains("Exit codes:").contains("130");
        assertThat(help.err()).isEmpty();
        for (String command : new String[] {"demo", "call", "answer", "messages"}) {
            Run r = new Run(command, "--help");
            assertThat(r.code).as("zoep %s --help: %s", command, r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: zoep " + command).contains("Exit codes:");
            Run viaHelp = new Run("help", command);
            assertThat(viaHelp.code).isZero();
            assertThat(viaHelp.out()).isEqualTo(r.out());
        }
        assertThat(new Run("call", "--help").out()).contains("--password-file=FILE").contains("--password-env=VAR")
                .doesNotContain("--password=");
    }

    @Test
    void badArgumentsAreNamedWithExitCodeTwo() {
        Run none = new Run();
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err()).contains("Usage: zoep");
        Run unknown = new Run("dance");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err()).startsWith("zoep: unknown command 'dance'");
        Run badOption = new Run("demo", "--fast");
        assertThat(badOption.code).isEqualTo(2);
        assertThat(badOption.err()).startsWith("zoep demo: Unknown option: '--fast'");
        Run noPeer = new Run("call", "--jid", "a@example.org");
        assertThat(noPeer.code).isEqualTo(2);
        assertThat(noPeer.err()).contains("Missing required option: '--to=JID'");
        Run badTls = new Run("call", "--jid", "a@example.org", "--to", "b@example.org", "--tls", "maybe");
        assertThat(badTls.code).isEqualTo(2);
        assertThat(badTls.err()).contains("'--tls'").contains("'maybe' is not starttls or direct");
        Run badPort = new Run("answer", "--jid", "a@example.org", "--server", "host:99999");
        assertThat(badPort.code).isEqualTo(2);
        assertThat(badPort.err()).contains("'--server'");
        Run badCount = new Run("messages", "--messages", "0");
        assertThat(badCount.code).isEqualTo(2);
        assertThat(badCount.err()).contains("--messages needs a number from 1 to 100000");
        for (Run r : new Run[] {none, unknown, badOption, noPeer, badTls, badPort, badCount}) {
            assertThat(r.out()).as("nothing on stdout for a usage error").isEmpty();
        }
    }

    /** A password on the command line is refused before anything connects, and says what to use. */
    @Test
    void passwordOnTheCommandLineIsRefused() {
        for (String[] args : new String[][] {
            {"call", "--jid", "a@example.org", "--password", "x", "--to", "b@example.org", "--server", "127.0.0.1:1"},
            {"answer", "--jid", "a@example.org", "--server", "127.0.0.1:1", "--password"},
        }) {
            Run r = new Run(args);
            assertThat(r.code).as("%s", r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--password is not accepted").contains("visible to every user")
                    .contains("$ZOEP_PASSWORD").contains("--password-file FILE").contains("prompt")
                    .doesNotContain("cannot connect");
        }
    }

    /**
     * No file, no environment variable, no terminal (tests run without one): a usage error that
     * names the three sources.
     */
    @Test
    void noPasswordSourceIsAUsageError() {
        assertThat(System.getenv("ZOEP_UNSET_FOR_TEST")).isNull();
        Run r = new Run("call", "--jid", "a@example.org", "--to", "b@example.org", "--password-env",
                "ZOEP_UNSET_FOR_TEST", "--server", "127.0.0.1:1");
        assertThat(r.code).as("%s", r.err()).isEqualTo(2);
        assertThat(r.err()).contains("no password for a@example.org: set $ZOEP_UNSET_FOR_TEST")
                .contains("--password-file FILE").contains("terminal");
    }

    /** The password file is read (the run gets as far as connecting); a shared one draws a warning. */
    @Test
    void passwordFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path shared = dir.resolve("shared.pw");
        java.nio.file.Files.writeString(shared, "x\n");
        java.nio.file.Files.setPosixFilePermissions(shared,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Run r = new Run("call", "--jid", "a@example.org", "--password-file", shared.toString(), "--to",
                "b@example.org", "--server", "127.0.0.1:1");
        assertThat(r.code).as("%s", r.err()).isEqualTo(1);
        assertThat(r.err()).contains("warning: " + shared + " is readable by other users")
                .contains("zoep call: cannot connect to example.org");
        java.nio.file.Path empty = privateFile(dir.resolve("empty.pw"), "\n");
        Run e = new Run("call", "--jid", "a@example.org", "--password-file", empty.toString(), "--to",
                "b@example.org", "--server", "127.0.0.1:1");
        assertThat(e.code).isEqualTo(2);
        assertThat(e.err()).contains("--password-file " + empty + ": the first line is empty");
    }

    /** {@code zoep answer --echo} on one side, {@code zoep call --play --record} on the other. */
    @Test
    void callAndAnswerTools(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (org.openzoep.testkit.ProsodyServer prosody = org.openzoep.testkit.ProsodyServer.builder()
                .account("alice", "alice-pw").account("bot", "bot-pw").start()) {
            String server = prosody.host() + ":" + prosody.port();
            String ca = prosody.caCertificate().toString();
            java.nio.file.Path speech = dir.resolve("speech.wav");
            java.nio.file.Path botPw = privateFile(dir.resolve("bot.pw"), "bot-pw\n");
            java.nio.file.Path alicePw = privateFile(dir.resolve("alice.pw"), "alice-pw\n");
            CallDemo.speak(speech, "Testing the echo bot, one two three.");
            ByteArrayOutputStream botOut = new ByteArrayOutputStream();
            ByteArrayOutputStream botErr = new ByteArrayOutputStream();
            java.util.concurrent.CompletableFuture<Integer> bot = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> Zoep.run(new String[] {"answer", "--jid", "bot@" + prosody.domain() + "/echo", "--password-file",
                        botPw.toString(), "--server", server, "--ca", ca, "--echo", "--calls", "1", "--accept-from", "everyone", "--media-address",
                        "127.0.0.1"}, new PrintStream(botOut, true, StandardCharsets.UTF_8),
                            new PrintStream(botErr, true, StandardCharsets.UTF_8)));
            // the bot is online (logged in, presence sent) once it says it waits
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!botOut.toString(StandardCharsets.UTF_8).contains("waiting for")) {
                assertThat(bot).as("the bot runs: %s", botErr.toString(StandardCharsets.UTF_8)).isNotDone();
                assertThat(System.nanoTime()).as("the bot online within 30 s").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            Run call = new Run("call", "--jid", "alice@" + prosody.domain() + "/cli", "--password-file", alicePw.toString(),
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

    static java.nio.file.Path privateFile(java.nio.file.Path file, String text) throws java.io.IOException {
        java.nio.file.Files.writeString(file, text);
        java.nio.file.Files.setPosixFilePermissions(file,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
