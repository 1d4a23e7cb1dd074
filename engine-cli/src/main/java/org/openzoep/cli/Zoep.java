package org.openzoep.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code zoep} command.
 *
 * <pre>
 * zoep demo [--messages N]    private Prosody on loopback, two accounts, a session end to end
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
                case "demo" -> Demo.run(rest, out);
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
            err.println("zoep: " + e.getMessage());
            return 1;
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: zoep <command> [options]

                commands:
                  demo [--messages N]   start a private Prosody on loopback, register alice and bob,
                                        drive alice with the OpenZoep XML stream and bob with the
                                        typed API: login over TLS + SCRAM, presence, N messages each
                                        way (default 5), logout; prints the XML and a summary
                  --help                this text
                """);
    }
}
