package org.openzoep.testkit;

import java.io.IOException;
import java.time.Duration;

/**
 * A server process the kit started (Prosody, coturn): killed when the JVM exits unless it was
 * stopped first. Used from the test thread; not thread-safe.
 */
final class ChildProcess {
    private final Process process;
    private final Thread killOnExit;

    private ChildProcess(Process process, String name) {
        this.process = process;
        this.killOnExit = new Thread(process::destroyForcibly, name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts {@code pb}; {@code name} names the JVM-exit hook that kills it. */
    static ChildProcess start(ProcessBuilder pb, String name) throws IOException {
        return new ChildProcess(pb.start(), name);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL if it is still alive after {@code timeout}. */
    void stop(Duration timeout) {
        try {
            Exec.stop(process, timeout);
        } finally {
            forget();
        }
    }

    /** Drops the JVM-exit hook (the process ended, or was stopped). */
    void forget() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException ignored) {
            // The JVM is shutting down; the hook runs anyway.
        }
    }
}
