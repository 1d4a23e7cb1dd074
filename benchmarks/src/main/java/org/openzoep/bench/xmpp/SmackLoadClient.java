package org.openzoep.bench.xmpp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.OrFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.openzoep.testkit.ProsodyServer;

/**
 * N Smack 4.4 {@code XMPPTCPConnection}s, one per account, with the same host, port, TLS required
 * with a trust manager for the test CA, SCRAM, and Smack's own initial presence at login. Smack's
 * API blocks, so a pool of {@code inflight} harness threads drives the logins and is shut down
 * before anything is measured. Inbound messages and presences reach {@link LoadClient.Inbound}
 * from a sync stanza listener (Smack's ordered per-connection delivery, what applications use).
 *
 * <p>Thread: see {@link LoadClient}. {@link #sendMessage}/{@link #sendPresence} call Smack's
 * blocking {@code sendStanza} (it blocks only when the connection's writer queue is full).
 */
final class SmackLoadClient implements LoadClient {
    private final String domain;
    private final String host;
    private final int port;
    private final int inflight;
    private final Inbound inbound;
    private final X509TrustManager trust;
    private final ExecutorService blocking;
    private final AtomicReferenceArray<XMPPTCPConnection> online;

    SmackLoadClient(ProsodyServer prosody, int accounts, int inflight, Inbound inbound) {
        this.domain = prosody.domain();
        this.host = prosody.host();
        this.port = prosody.port();
        this.inflight = inflight;
        this.inbound = inbound;
        this.trust = trustManagerFor(prosody.caCertificate());
        this.online = new AtomicReferenceArray<>(accounts);
        this.blocking = Executors.newFixedThreadPool(inflight, r -> {
            Thread t = new Thread(r, "harness-smack-login");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletionStage<Void> login(int i) {
        return CompletableFuture.runAsync(() -> {
            try {
                XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                        .setXmppDomain(domain)
                        .setHost(host)
                        .setPort(port)
                        .setSecurityMode(SecurityMode.required)
                        .setCustomX509TrustManager(trust)
                        .setUsernameAndPassword("load" + i, LoadHarness.PASSWORD)
                        .setResource("load")
                        .setSendPresence(true)
                        .setConnectTimeout(30_000)
                        .build();
                XMPPTCPConnection conn = new XMPPTCPConnection(config);
                conn.setReplyTimeout(30_000);
                if (inbound != Inbound.NONE) {
                    conn.addSyncStanzaListener(s -> deliver(i, s),
                            new OrFilter(StanzaTypeFilter.MESSAGE, StanzaTypeFilter.PRESENCE));
                }
                conn.connect().login();
                online.set(i, conn);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, blocking);
    }

    private void deliver(int i, Stanza s) {
        if (s instanceof Message m && m.getBody() != null) {
            inbound.message(i, m.getBody());
        } else if (s instanceof Presence p) {
            inbound.presence(i, p.getStatus());
        }
    }

    @Override
    public void loginsDone() throws InterruptedException {
        blocking.shutdown();
        if (!blocking.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("harness login threads did not stop");
        }
    }

    @Override
    public boolean isOnline(int i) {
        return online.get(i) != null;
    }

    @Override
    public CompletionStage<Void> sendMessage(int from, int to, String body) {
        XMPPTCPConnection c = online.get(from);
        return send(c, c.getStanzaFactory().buildMessageStanza().to(online.get(to).getUser())
                .ofType(Message.Type.chat).setBody(body).build());
    }

    @Override
    public CompletionStage<Void> sendPresence(int from, int to, String status) {
        XMPPTCPConnection c = online.get(from);
        return send(c, c.getStanzaFactory().buildPresenceStanza().to(online.get(to).getUser()).setStatus(status).build());
    }

    private static CompletionStage<Void> send(XMPPTCPConnection c, Stanza s) {
        try {
            c.sendStanza(s);
            return CompletableFuture.completedFuture(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public int logoutAll(long deadlineNanos) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(inflight);
        try {
            return LoadHarness.boundedAll(online.length(), inflight, i -> {
                XMPPTCPConnection c = online.get(i);
                return c == null ? null : CompletableFuture.runAsync(c::disconnect, pool);
            }, deadlineNanos);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        blocking.shutdownNow();
    }

    /**
     * A trust manager for the test CA (PEM) only. Smack 4.4.8 ignored an SSLContext given with
     * {@code setCustomSSLContext} here (PKIX failures), so it gets the trust manager instead.
     */
    private static X509TrustManager trustManagerFor(Path caPem) {
        try (var in = Files.newInputStream(caPem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + caPem, e);
        }
    }
}
