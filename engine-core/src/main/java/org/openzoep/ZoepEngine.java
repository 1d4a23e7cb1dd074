package org.openzoep;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    private ZoepEngine(Builder b) {
        this.group = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory("zoep-io", true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.api = Executors.newFixedThreadPool(b.apiThreads, new DefaultThreadFactory("zoep-api", true));
        this.xmpp = XmppClient.builder().group(group).computeExecutor(api).build();
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
