package org.openzoep.bench.xmpp;

import java.util.concurrent.CompletionStage;

/**
 * One side of a load comparison: N accounts of one client library in this JVM, numbered
 * {@code 0..N-1} ({@code load<i>@localhost}). {@link LoadHarness} logs them in and holds them;
 * {@link SoakHarness} also sends traffic between them.
 *
 * <p>Threads: {@link #login}, {@link #loginsDone}, {@link #logoutAll} and {@link #close} from the
 * harness's main thread; the send methods from one harness thread; {@link Inbound} is called on
 * the client's own threads (OpenZoep: the API executor, one account at a time; Smack: its ordered
 * "sync" listener executor).
 */
interface LoadClient extends AutoCloseable {

    /** What arrives at an account: the chat bodies and presence status texts, nothing else. */
    interface Inbound {
        /** Ignores everything (the idle load harness). */
        Inbound NONE = new Inbound() {
            @Override
            public void message(int account, String body) {
            }

            @Override
            public void presence(int account, String status) {
            }
        };

        /** A message with a body arrived at {@code account}. */
        void message(int account, String body);

        /** A presence arrived at {@code account}; {@code status} may be null (e.g. unavailable). */
        void presence(int account, String status);
    }

    /** Starts logging in account {@code i}; completes when it is online (presence sent). */
    CompletionStage<Void> login(int i);

    /** Called once every login has finished: release login-only resources. */
    void loginsDone() throws InterruptedException;

    /** Whether account {@code i} logged in (valid after {@link #loginsDone}). */
    boolean isOnline(int i);

    /**
     * Sends a chat message from account {@code from} to the bound full JID of account {@code to};
     * completes when the client has taken it (OpenZoep: written; Smack: queued for its writer).
     */
    CompletionStage<Void> sendMessage(int from, int to, String body);

    /** Sends directed available presence with a status text from {@code from} to {@code to}'s full JID. */
    CompletionStage<Void> sendPresence(int from, int to, String status);

    /** Logs every online account out; bounded by {@code deadlineNanos}; returns how many succeeded. */
    int logoutAll(long deadlineNanos) throws InterruptedException;

    @Override
    void close();
}
