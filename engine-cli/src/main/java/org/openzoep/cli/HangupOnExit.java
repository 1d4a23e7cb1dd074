package org.openzoep.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openzoep.Call;

/**
 * Ctrl-C (SIGINT) or SIGTERM while {@code call} or {@code answer} runs: a JVM shutdown hook hangs
 * up the current call through the engine's API (the peer gets Jingle {@code session-terminate}),
 * then waits, at most {@link #DEADLINE}, until the command's own thread has seen the call end,
 * logged out and closed the engine (which closes the recording: the WAV header gets its sizes).
 * Then the JVM exits with 128 + the signal (130 for SIGINT).
 *
 * <p>Threads: {@link #current}, {@link #stopping} and {@link #close} are called on the command's
 * thread; the hook runs on the JVM's shutdown thread. They share only volatile fields and a latch.
 */
final class HangupOnExit implements AutoCloseable {
    /** How long the hook waits for the hang-up, the logout and the engine's close. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Thread hook = new Thread(this::hangUp, "zoep-hangup-on-exit");
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Call current;

    private HangupOnExit() {
    }

    /** Installs the hook; {@link #close()} (after the engine is closed) removes it. */
    static HangupOnExit install() {
        HangupOnExit h = new HangupOnExit();
        Runtime.getRuntime().addShutdownHook(h.hook);
        return h;
    }

    /** The call to hang up on exit ({@code null}: none). */
    void current(Call call) {
        current = call;
        if (stopping && call != null) {
            call.hangup();
        }
    }

    /** True once a signal asked the process to stop: the command stops waiting for more calls. */
    boolean stopping() {
        return stopping;
    }

    private void hangUp() {
        stopping = true;
        Call c = current;
        if (c != null) {
            c.hangup();
        }
        try {
            closed.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The engine is closed: the hook (running or not) may let the JVM go. */
    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now and has just been released
        }
    }
}
