package org.openzoep.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prosody process of one {@link ProsodyServer}: started in the foreground ({@code -F}) under
 * {@code bash -c 'ulimit -n N; exec prosody ...'} with its console appended to
 * {@code console.log}, and waited for until its log says the c2s port(s) are active and a TCP
 * connect succeeds; stopped with SIGTERM, then SIGKILL after a deadline. A bind failure is
 * reported as {@link PortTakenException} so that the server can retry on fresh ports.
 *
 * <p>Threads: used from the test thread; blocking (process start, polling with a deadline); not
 * thread-safe. It owns the child process (a shutdown hook kills it if it was not stopped).
 */
final class ProsodyProcess {

    private final Path prosody;
    private final int fileDescriptorLimit;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private ChildProcess process;

    ProsodyProcess(Path prosody, int fileDescriptorLimit, Duration startupTimeout, Duration stopTimeout) {
        this.prosody = prosody;
        this.fileDescriptorLimit = fileDescriptorLimit;
        this.startupTimeout = startupTimeout;
        this.stopTimeout = stopTimeout;
    }

    /** A bind failure, so that {@link ProsodyServer#start()} can retry on fresh ports. */
    static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }

    /**
     * Starts Prosody with the config in {@code dir} and returns once it accepts connections.
     *
     * @param directTlsPort the Direct TLS port to wait for, or -1 for none
     * @throws PortTakenException when Prosody could not bind a port (it is stopped)
     * @throws IllegalStateException when it exits or is not up in time (with the log tail)
     */
    void start(Path dir, int port, int directTlsPort) {
        boolean directTls = directTlsPort >= 0;
        Path log = dir.resolve(ProsodyConfig.LOG_FILE);
        Path config = dir.resolve(ProsodyConfig.CONFIG_FILE);
        long logOffset;
        try {
            logOffset = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // $0 = prosody, $1 = config, $2 = descriptor limit (0: the hard limit).
        String script = "lim=\"$2\"; if [ \"$lim\" = 0 ]; then lim=$(ulimit -Hn); fi; "
                + "if [ \"$lim\" = unlimited ]; then lim=1048576; fi; "
                + "ulimit -n \"$lim\" || { echo \"cannot raise ulimit -n to $lim (hard limit $(ulimit -Hn))\"; exit 111; }; "
                + "exec \"$0\" --config \"$1\" -F";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, prosody.toString(), config.toString(),
                String.valueOf(fileDescriptorLimit))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            process = ChildProcess.start(pb, "openzoep-prosody-kill");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + prosody, e);
        }
        ChildProcess p = process;

        List<String> expected = new ArrayList<>();
        expected.add("Activated service 'c2s' on [127.0.0.1]:" + port);
        if (directTls) {
            expected.add("Activated service 'c2s_direct_tls' on [127.0.0.1]:" + directTlsPort);
        }
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (true) {
            String newLog = readFrom(log, logOffset);
            if (newLog.contains("Failed to open server port")) {
                stop();
                throw new PortTakenException("Prosody could not bind its port(s) " + port
                        + (directTls ? "/" + directTlsPort : "") + ":\n" + logTail(dir, 30));
            }
            if (!p.isAlive()) {
                process = null;
                p.forget();
                throw new IllegalStateException("Prosody exited with code " + p.exitValue() + " during startup; config "
                        + config + "\n" + logTail(dir, 40));
            }
            if (expected.stream().allMatch(newLog::contains) && accepts(port)
                    && (!directTls || accepts(directTlsPort))) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new IllegalStateException("Prosody did not accept connections on " + ProsodyServer.HOST + ":"
                        + port + " within " + startupTimeout + "; config " + config + "\n" + logTail(dir, 40));
            }
            Exec.pause(20);
        }
    }

    /** SIGTERM, then SIGKILL after the stop timeout; nothing when not running. */
    void stop() {
        ChildProcess p = process;
        if (p != null) {
            process = null;
            p.stop(stopTimeout);
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** @throws IllegalStateException when not running */
    long pid() {
        ChildProcess p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("Prosody is not running");
        }
        return p.pid();
    }

    /** The last {@code lines} lines of Prosody's log file and of its stdout/stderr. */
    static String logTail(Path dir, int lines) {
        return Exec.tail(dir.resolve(ProsodyConfig.LOG_FILE), lines) + "\n--- stdout/stderr ---\n"
                + Exec.tail(dir.resolve("console.log"), lines);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(ProsodyServer.HOST), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readFrom(Path file, long offset) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            if (len <= offset) {
                return "";
            }
            byte[] buf = new byte[(int) Math.min(len - offset, 8 << 20)];
            raf.seek(offset);
            raf.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
