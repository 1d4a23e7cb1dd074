package org.openzoep.internal.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.EngineSettings;
import org.openzoep.ZoepEngine;
import org.openzoep.internal.account.DefaultAccount;
import org.openzoep.internal.call.CallResources;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.session.XmppClient;

/**
 * The engine: one Netty event-loop group shared by every account and every call's sockets and
 * timers, one API executor on which accounts do their work and call their listeners, and the
 * calls' shared resources ({@link CallResources}: DTLS, the media clock).
 *
 * <p>Thread: safe.
 */
public final class DefaultZoepEngine implements ZoepEngine {
    private final EventLoopGroup group;
    private final ExecutorService api;
    private final XmppClient xmpp;
    private final Set<DefaultAccount> accounts = ConcurrentHashMap.newKeySet();
    private final CallResources calls;

    public DefaultZoepEngine(EngineSettings s) {
        this.group = new MultiThreadIoEventLoopGroup(s.ioThreads(), new DefaultThreadFactory(s.name() + "-io", true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.api = Executors.newFixedThreadPool(s.apiThreads(), new DefaultThreadFactory(s.name() + "-api", true));
        this.xmpp = XmppClient.builder().group(group).computeExecutor(api)
                .discoFeatures(JingleNamespaces.CALL_FEATURES).build();
        this.calls = new CallResources(group, Epoll.isAvailable(), new CallResources.Settings(s.ringTimeout(),
                s.answerTimeout(), s.setupTimeout(), s.mediaAddresses(), s.hostCandidates(), s.audioThreads(),
                s.dtlsThreads(), s.name()));
    }

    @Override
    public AudioStats audioStats() {
        return calls.audioStats();
    }

    @Override
    public void resetAudioStats() {
        calls.resetAudioStats();
    }

    @Override
    public Account registerAccount(AccountListener listener) {
        DefaultAccount a = new DefaultAccount(xmpp, api, calls, Objects.requireNonNull(listener, "listener"));
        accounts.add(a);
        return a;
    }

    @Override
    public void unregisterAccount(Account account) {
        if (account instanceof DefaultAccount a && accounts.remove(a)) {
            a.unregister();
        }
    }

    @Override
    public int accountCount() {
        return accounts.size();
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (DefaultAccount a : accounts) {
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
}
