package org.openzoep;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.openzoep.internal.CallResources;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.session.XmppClient;

/**
 * The OpenZoep engine: build one per process, register accounts, close it at the end.
 *
 * <p>It owns one Netty event-loop group (threads = cores by default) shared by every account and,
 * later, every call's media; and one API executor (threads = cores) on which accounts do their
 * work and call their listeners. The thread count depends on the machine, never on the number
 * of accounts.
 *
 * <p>Thread: safe.
 */
public final class ZoepEngine implements AutoCloseable {
    private final EventLoopGroup group;
    private final ExecutorService api;
    private final XmppClient xmpp;
    private final Set<Account> accounts = ConcurrentHashMap.newKeySet();
    private final CallResources calls;

    private ZoepEngine(Builder b) {
        this.group = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory(b.name + "-io", true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.api = Executors.newFixedThreadPool(b.apiThreads, new DefaultThreadFactory(b.name + "-api", true));
        this.xmpp = XmppClient.builder().group(group).computeExecutor(api)
                .discoFeatures(JingleNamespaces.CALL_FEATURES).build();
        this.calls = new CallResources(group, Epoll.isAvailable(), new CallResources.Settings(b.ringTimeout,
                b.answerTimeout, b.setupTimeout, b.mediaAddresses, b.hostCandidates, b.audioThreads, b.dtlsThreads, b.name));
    }

    CallResources callResources() {
        return calls;
    }

    /** Calls the engine's audio clock runs now, frames it ran and frames that missed their deadline. */
    public AudioStats audioStats() {
        org.openzoep.internal.AudioClock c = calls.clockIfStarted();
        return c == null ? new AudioStats(0, 0, 0, 0)
                : new AudioStats(c.calls(), c.frames(), c.missedDeadlines(), c.maxFrameNanos() / 1000);
    }

    /** Resets the audio clock's counters (for measurements). */
    public void resetAudioStats() {
        org.openzoep.internal.AudioClock c = calls.clockIfStarted();
        if (c != null) {
            c.resetStats();
        }
    }

    /**
     * The audio clock's counters.
     *
     * @param calls calls on the clock now
     * @param frames 20 ms frames run, summed over the audio threads
     * @param missedDeadlines frames whose work ended after the next frame was due
     * @param maxFrameMicros longest work of one thread for one frame
     */
    public record AudioStats(int calls, long frames, long missedDeadlines, long maxFrameMicros) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code api_register_account()}: a new account whose events go to {@code listener}. */
    public Account registerAccount(AccountListener listener) {
        Account a = new Account(this, listener);
        accounts.add(a);
        return a;
    }

    /**
     * {@code api_unregister_account()}: logs the account out if needed (gracefully, in the
     * background) and forgets it. Nothing more reaches its listener after the close events.
     */
    public void unregisterAccount(Account account) {
        if (accounts.remove(account)) {
            account.unregister();
        }
    }

    /** Number of registered accounts. */
    public int accountCount() {
        return accounts.size();
    }

    XmppClient xmpp() {
        return xmpp;
    }

    java.util.concurrent.Executor apiExecutor() {
        return api;
    }

    /** The shared event-loop group (for media transports). */
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /**
     * Logs every account out (waiting up to five seconds for the servers to close their streams),
     * closes every connection and stops the engine's threads. This one call blocks the caller.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Account a : accounts) {
            if (accounts.remove(a)) {
                closing.add(a.unregister());
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a server that does not close its stream in time is cut off below
        }
        xmpp.close();
        calls.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        api.shutdown();
        try {
            api.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds an engine. */
    public static final class Builder {
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

        /** Prefix of the engine's thread names (default {@code zoep}): {@code zoep-io}, {@code zoep-audio-0}, … */
        public Builder name(String prefix) {
            this.name = java.util.Objects.requireNonNull(prefix);
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
         * call beyond the limit fails with {@code dtls-failed}.
         */
        public Builder dtlsThreads(int n) {
            this.dtlsThreads = positive(n);
            return this;
        }

        /** An outgoing call that no device acknowledges (XEP-0353 ringing) within this ends as offline (default 15 s). */
        public Builder ringTimeout(Duration d) {
            this.ringTimeout = d;
            return this;
        }

        /** An unanswered call ends after this (default 60 s). */
        public Builder answerTimeout(Duration d) {
            this.answerTimeout = d;
            return this;
        }

        /** An answered call whose ICE and DTLS do not complete within this fails (default 20 s). */
        public Builder setupTimeout(Duration d) {
            this.setupTimeout = d;
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

        public ZoepEngine build() {
            return new ZoepEngine(this);
        }
    }
}
