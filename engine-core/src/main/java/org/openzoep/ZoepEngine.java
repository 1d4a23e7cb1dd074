package org.openzoep;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The OpenZoep engine: build one per process with {@link #builder()}, register accounts, close it
 * at the end.
 *
 * <p>It owns one Netty event-loop group (threads = cores by default) shared by every account and
 * every call's media; one API executor (threads = cores) on which accounts do their work and call
 * their listeners; and one media clock for the calls' audio. The thread count depends on the
 * machine, never on the number of accounts or calls.
 *
 * <p>The implementation is found through {@link EngineProvider} ({@link ServiceLoader}); the
 * engine-core jar registers its own, so applications never name it.
 *
 * <p>Thread: safe.
 */
public interface ZoepEngine extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    /** {@code api_register_account()}: a new account whose events go to {@code listener}. */
    Account registerAccount(AccountListener listener);

    /**
     * {@code api_unregister_account()}: logs the account out if needed (gracefully, in the
     * background) and forgets it. Nothing more reaches its listener after the close events.
     */
    void unregisterAccount(Account account);

    /** Number of registered accounts. */
    int accountCount();

    /** Calls the engine's media clock runs now, frames it ran and frames that missed their deadline. */
    AudioStats audioStats();

    /** Resets the media clock's counters (for measurements). */
    void resetAudioStats();

    /**
     * Logs every account out (waiting up to five seconds for the servers to close their streams),
     * closes every connection and stops the engine's threads. This one call blocks the caller.
     */
    @Override
    void close();

    /**
     * The media clock's counters.
     *
     * @param calls calls on the clock now
     * @param frames frames run, summed over the audio threads
     * @param missedDeadlines frames whose work ended after the next frame was due
     * @param maxFrameMicros longest work of one thread for one frame
     */
    record AudioStats(int calls, long frames, long missedDeadlines, long maxFrameMicros) {
    }

    /** Builds an engine: sets {@link EngineSettings}, then asks the {@link EngineProvider} for one. */
    final class Builder {
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private int apiThreads = Runtime.getRuntime().availableProcessors();
        private int audioThreads = Runtime.getRuntime().availableProcessors();
        private int dtlsThreads = 64;
        private Duration ringTimeout = Duration.ofSeconds(15);
        private Duration answerTimeout = Duration.ofSeconds(60);
        private Duration setupTimeout = Duration.ofSeconds(20);
        private List<InetAddress> mediaAddresses = List.of();
        private boolean hostCandidates = true;
        private String name = "zoep";

        Builder() {
        }

        /** Prefix of the engine's thread names (default {@code zoep}): {@code zoep-io}, {@code zoep-audio-0}, … */
        public Builder name(String prefix) {
            this.name = Objects.requireNonNull(prefix);
            return this;
        }

        /**
         * Whether ICE offers host candidates (default true). Off, only server-reflexive ones (from
         * STUN) are offered, as behind a NAT; this hides the local addresses from the peer.
         */
        public Builder iceHostCandidates(boolean offer) {
            this.hostCandidates = offer;
            return this;
        }

        /** Threads that run calls without a sound device of their own (default: cores). */
        public Builder audioThreads(int n) {
            this.audioThreads = positive(n);
            return this;
        }

        /**
         * Most DTLS handshakes in progress at once (default 64): BouncyCastle's handshake blocks a
         * thread while it runs; threads are made per handshake in progress and end when idle. A
         * call beyond the limit ends with {@link CallEnd.Reason#OVERLOADED} ({@code overloaded},
         * condition {@code service-unavailable}).
         */
        public Builder dtlsThreads(int n) {
            this.dtlsThreads = positive(n);
            return this;
        }

        /** An outgoing call that no device acknowledges (XEP-0353 ringing) within this ends as offline (default 15 s). */
        public Builder ringTimeout(Duration d) {
            this.ringTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** An unanswered call ends after this (default 60 s). */
        public Builder answerTimeout(Duration d) {
            this.answerTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** An answered call whose ICE and DTLS do not complete within this fails (default 20 s). */
        public Builder setupTimeout(Duration d) {
            this.setupTimeout = Objects.requireNonNull(d);
            return this;
        }

        /**
         * Local addresses for ICE host candidates (default: every up, non-loopback interface).
         * Tests and the demo pass the loopback address.
         */
        public Builder mediaAddresses(List<InetAddress> addresses) {
            this.mediaAddresses = List.copyOf(addresses);
            return this;
        }

        public Builder ioThreads(int n) {
            this.ioThreads = positive(n);
            return this;
        }

        public Builder apiThreads(int n) {
            this.apiThreads = positive(n);
            return this;
        }

        private static int positive(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("thread count must be positive");
            }
            return n;
        }

        /** The settings as set so far. */
        public EngineSettings settings() {
            return new EngineSettings(name, ioThreads, apiThreads, audioThreads, dtlsThreads, ringTimeout,
                    answerTimeout, setupTimeout, mediaAddresses, hostCandidates);
        }

        /**
         * Starts an engine with these settings.
         *
         * @throws IllegalStateException when no {@link EngineProvider} is on the class or module path
         */
        public ZoepEngine build() {
            EngineProvider provider = ServiceLoader.load(EngineProvider.class, EngineProvider.class.getClassLoader())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no OpenZoep engine implementation found "
                            + "(META-INF/services/" + EngineProvider.class.getName() + ")"));
            return provider.create(settings());
        }
    }
}
