package org.openzoep.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.openzoep.xmpp.stanza.Jid;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where {@code call} and {@code answer} take the account's password from: never the command line,
 * where every user of the machine can read it ({@code ps}, {@code /proc/PID/cmdline}). In this
 * order: {@code --password-file FILE} (its first line; {@code -} is stdin), the environment
 * variable {@code $ZOEP_PASSWORD} (or the one {@code --password-env} names), a prompt on the
 * terminal without echo ({@link System#console()}). {@code --password} is refused with a message
 * saying what to use instead.
 */
final class PasswordOptions {
    /** The default environment variable. */
    static final String ENV = "ZOEP_PASSWORD";

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "read the password from the first line of FILE ('-': standard input)")
    Path file;

    @Option(names = "--password-env", paramLabel = "VAR", defaultValue = ENV,
            description = "read the password from environment variable VAR (default: ${DEFAULT-VALUE})")
    String env;

    /** Refused: kept only to say why and what to use instead. */
    @Option(names = "--password", hidden = true, arity = "0..1", fallbackValue = "")
    String onCommandLine;

    /**
     * The password, from the first source that has one.
     *
     * @throws ParameterException for {@code --password}, or when no source has a password
     */
    String read(CommandSpec spec, Jid jid, Map<String, String> environment, Console console, PrintWriter err) throws IOException {
        if (onCommandLine != null) {
            throw new ParameterException(spec.commandLine(), "--password is not accepted: a password on the "
                    + "command line is visible to every user of this machine (ps, /proc). Use $" + ENV
                    + ", --password-file FILE, or type it at the prompt");
        }
        if (file != null) {
            return fromFile(spec, err);
        }
        String v = environment.get(env);
        if (v != null && !v.isEmpty()) {
            return v;
        }
        if (console != null) {
            char[] typed = console.readPassword("Password for %s: ", jid.bare());
            if (typed != null && typed.length > 0) {
                return new String(typed);
            }
        }
        throw new ParameterException(spec.commandLine(), "no password for " + jid.bare() + ": set $" + env
                + ", give --password-file FILE, or run on a terminal to be asked");
    }

    private String fromFile(CommandSpec spec, PrintWriter err) throws IOException {
        String line;
        if (file.toString().equals("-")) {
            line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else {
            if (!Files.isReadable(file)) {
                throw new ParameterException(spec.commandLine(), "--password-file " + file + ": cannot read it");
            }
            warnIfShared(err);
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                line = r.readLine();
            }
        }
        if (line == null || line.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--password-file " + file + ": the first line is empty");
        }
        return line;
    }

    /** Like ssh with a private key: a file others can read is a password others can read. */
    private void warnIfShared(PrintWriter err) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("zoep: warning: " + file + " is readable by other users (chmod 600 " + file + ")");
            }
        } catch (UnsupportedOperationException | IOException notPosix) {
            // no POSIX permissions to check
        }
    }
}
