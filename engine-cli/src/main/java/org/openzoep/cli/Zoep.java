package org.openzoep.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code zoep} command.
 *
 * <pre>
 * zoep demo                   a call on a private Prosody + STUN server, alice (XML API) to bob (typed API)
 * zoep call --jid J --password P --to T [...]     place a call on a real server
 * zoep answer --jid J --password P [...]          answer calls (echo, play a file, record)
 * zoep messages [--messages N] the messaging demo on a private Prosody
 * zoep --help
 * </pre>
 */
public final class Zoep {
    private Zoep() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0].toLowerCase(Locale.ROOT)) {
                case "demo" -> CallDemo.run(rest, out);
                case "call" -> CallTool.call(rest, out);
                case "answer" -> CallTool.answer(rest, out);
                case "messages" -> MessagingDemo.run(rest, out);
                default -> {
                    err.println("zoep: unknown command '" + args[0] + "'");
                    usage(err);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("zoep: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            Throwable t = e;
            while ((t instanceof java.util.concurrent.ExecutionException
                    || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
                t = t.getCause();
            }
            err.println("zoep: " + t.getMessage());
            return 1;
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: zoep <command> [options]

                commands:
                  demo [--out DIR]      a real call with nothing to set up: starts a private Prosody and a
                                        STUN server (coturn) on loopback; alice (the OpenZoep XML stream)
                                        calls bob (the typed API), who answers; a speech sample plays
                                        through the call (XEP-0353, Jingle, ICE, DTLS-SRTP, Opus); bob's
                                        side is recorded to DIR/bob-heard.wav (default DIR: zoep-demo);
                                        live quality and a summary are printed; everything is stopped
                  call                  place a call:   --jid J --password P --to JID [audio] [server]
                                        [--seconds S] (hang up after S seconds; default: wait for the peer)
                  answer                answer calls:   --jid J --password P [audio] [server]
                                        [--calls N] (default 1) [--seconds S] [--echo] (say back what is heard)
                  messages [--messages N]
                                        the messaging demo: private Prosody, alice (XML) and bob (typed)
                                        exchange presence and N messages each way (default 5)
                  --help                this text

                audio:   --play FILE.wav (send a WAV file)  --record FILE.wav (record what is heard)
                         --device NAME|default (a PortAudio device for both directions); default: silence
                server:  --server HOST[:PORT] (default: DNS SRV of the JID's domain)  --tls starttls|direct
                         --ca CA.pem (trust these CAs instead of the system's)  --stun HOST[:PORT]
                         --media-address IP (ICE host candidates only from this address; repeatable)
                """);
    }
}
