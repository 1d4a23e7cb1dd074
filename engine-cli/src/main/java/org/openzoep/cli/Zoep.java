package org.openzoep.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code zoep} command (picocli): {@code demo}, {@code call}, {@code answer}, {@code messages}.
 * {@code zoep --help} and {@code zoep COMMAND --help} print help; a bad option or value is named on
 * stderr with exit code 2. Only the command's own lines go to stdout; library logs go to stderr, at
 * WARN unless {@code --verbose}. Exit codes, password sources and Ctrl-C: docs/cli.md.
 *
 * <p>Threads: the command runs on the caller's thread ({@code main}); it blocks on the engine's
 * {@code CompletionStage}s, which is fine here and nowhere in the engine.
 */
@Command(name = "zoep", mixinStandardHelpOptions = true, version = "zoep 0.1.0 (OpenZoep for the JVM)",
        description = "Voice calls and messages with the OpenZoep engine. `zoep demo` runs a real call with "
                + "nothing to set up.",
        subcommands = {CallDemo.class, CallTool.Place.class, CallTool.Answer.class, MessagingDemo.class,
            CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (a call that ended normally, a demo that passed its checks)",
            "1:failure at run time (cannot connect, login refused, the call ended with an error, a demo check failed)",
            "2:bad command line (unknown command or option, bad or missing value, --password, no password source)",
            "130:interrupted by Ctrl-C (SIGINT) after hanging up; 143 for SIGTERM"},
        footer = "%nPasswords never go on the command line: $ZOEP_PASSWORD, --password-file FILE, or a prompt. "
                + "See docs/cli.md.")
public final class Zoep implements Callable<Integer> {
    /** Exit code of a run-time failure. */
    static final int FAILURE = 1;
    /** Exit code of a bad command line. */
    static final int USAGE = 2;
    /** Exit code after Ctrl-C (the JVM's own: 128 + SIGINT). */
    static final int INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "library logs on stderr: -v INFO, -vv DEBUG (default: WARN and above)")
    boolean[] verbose = new boolean[0];

    /** Where the commands print their own lines. */
    final PrintStream out;

    Zoep(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cmd = new CommandLine(new Zoep(out));
        cmd.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cmd.registerConverter(Jid.class, Jid::parse);
        cmd.registerConverter(TlsMode.class, Zoep::tlsMode);
        cmd.registerConverter(HostPort.class, HostPort::parse);
        cmd.setExecutionStrategy(pr -> {
            configureLogging(verbosity(pr));
            return new CommandLine.RunLast().execute(pr);
        });
        cmd.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            String message = e.getMessage();
            if (e instanceof CommandLine.UnmatchedArgumentException u && c.getCommandSpec().parent() == null
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                message = "unknown command '" + u.getUnmatched().get(0) + "' (commands: "
                        + String.join(", ", c.getSubcommands().keySet()) + ")";
            }
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + message);
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, pr) -> {
            Throwable t = e;
            while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
                t = t.getCause();
            }
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + t.getMessage());
            if (verbosity(pr) > 1) {
                t.printStackTrace(c.getErr());
            }
            return FAILURE;
        });
        return cmd.execute(args);
    }

    /** {@code zoep} alone: the usage on stderr, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    static TlsMode tlsMode(String v) {
        return switch (v) {
            case "starttls" -> TlsMode.STARTTLS;
            case "direct" -> TlsMode.DIRECT_TLS;
            default -> throw new CommandLine.TypeConversionException("'" + v + "' is not starttls or direct");
        };
    }

    /** How many {@code -v} were given, on the command or any subcommand. */
    static int verbosity(ParseResult pr) {
        int n = 0;
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            n = Math.max(n, p.matchedOptionValue("--verbose", new boolean[0]).length);
        }
        return n;
    }

    /**
     * slf4j-simple (engine-cli's binding) reads its settings when the first logger is made, which
     * is after parsing: nothing before the command touches SLF4J. Library logs go to stderr at
     * WARN, so stdout holds only the command's lines (libopus's INFO load line among others).
     * A {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} given to the JVM wins unless {@code -v}.
     * BouncyCastle's TLS (the XMPP connection) logs through java.util.logging: its INFO lines and
     * its warnings about the JDK's security properties it cannot read are shown only with
     * {@code -v}.
     */
    static void configureLogging(int verbosity) {
        BOUNCY_CASTLE_LOG.setLevel(verbosity == 0 ? Level.SEVERE
                : verbosity == 1 ? Level.INFO : Level.FINE);
        String level = verbosity == 0 ? "warn" : verbosity == 1 ? "info" : "debug";
        if (verbosity > 0 || System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    /** Held here: java.util.logging keeps only weak references to configured loggers. */
    private static final Logger BOUNCY_CASTLE_LOG = Logger.getLogger("org.bouncycastle");

    /** A host with an optional {@code :PORT}. */
    record HostPort(String host, int port) {
        static HostPort parse(String v) {
            int c = v.lastIndexOf(':');
            if (c <= 0) {
                return new HostPort(v, -1);
            }
            try {
                int port = Integer.parseInt(v.substring(c + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(v.substring(0, c), port);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + v + "' is not HOST[:PORT] (port 1-65535)");
            }
        }

        int portOr(int fallback) {
            return port < 0 ? fallback : port;
        }

        @Override
        public String toString() {
            return port < 0 ? host : host + ":" + port;
        }
    }
}
