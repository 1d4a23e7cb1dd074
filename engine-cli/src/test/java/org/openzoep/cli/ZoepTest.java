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
    void demoRunsEndToEndOnAPrivateProsody() {
        Run r = new Run("demo", "--messages", "3");
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
        assertThat(badOption.code).isEqualTo(2);
        assertThat(badOption.err()).contains("unknown option '--fast'");
    }
}
