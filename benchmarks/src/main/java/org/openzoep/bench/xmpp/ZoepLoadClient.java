package org.openzoep.bench.xmpp;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.ZoepEngine;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * N accounts in one {@link ZoepEngine}: per account the typed API {@code configure} (host, port,
 * STARTTLS with the test CA as trust store), {@code login} (TLS + SCRAM + bind) and
 * {@code sendPresence}; inbound messages and presences reach {@link LoadClient.Inbound} from the
 * account's listener.
 *
 * <p>Thread: see {@link LoadClient}; the listener runs on the engine's API executor.
 */
final class ZoepLoadClient implements LoadClient {
    private static final String PASSWORD = LoadHarness.PASSWORD;

    private final ZoepEngine engine = ZoepEngine.builder().build();
    private final AccountSettings settings;
    private final String domain;
    private final int inflight;
    private final Inbound inbound;
    /** Account i, once online; its bound full JID beside it. */
    private final AtomicReferenceArray<Account> online;
    private final AtomicReferenceArray<Jid> jids;

    ZoepLoadClient(ProsodyServer prosody, int accounts, int inflight, Inbound inbound) {
        this.domain = prosody.domain();
        this.inflight = inflight;
        this.inbound = inbound;
        this.online = new AtomicReferenceArray<>(accounts);
        this.jids = new AtomicReferenceArray<>(accounts);
        this.settings = AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                .withTls(TlsMode.STARTTLS, prosody.caCertificate()).withResource("load");
    }

    @Override
    public CompletionStage<Void> login(int i) {
        Account a = engine.registerAccount(new AccountListener() {
            @Override
            public void onStanza(Account account, Stanza stanza) {
                if (stanza.kind() == Stanza.Kind.MESSAGE && stanza.body() != null) {
                    inbound.message(i, stanza.body());
                } else if (stanza.kind() == Stanza.Kind.PRESENCE) {
                    inbound.presence(i, stanza.element().childText("status"));
                }
            }
        });
        return a.configure(settings)
                .thenCompose(v -> a.login(Jid.parse("load" + i + "@" + domain), PASSWORD))
                .thenCompose(jid -> {
                    jids.set(i, jid);
                    return a.sendPresence(null);
                })
                .thenRun(() -> online.set(i, a));
    }

    @Override
    public void loginsDone() {
    }

    @Override
    public boolean isOnline(int i) {
        return online.get(i) != null;
    }

    @Override
    public CompletionStage<Void> sendMessage(int from, int to, String body) {
        return online.get(from).sendMessage(jids.get(to), body);
    }

    @Override
    public CompletionStage<Void> sendPresence(int from, int to, String status) {
        return online.get(from).send(Stanza.presence().to(jids.get(to))
                .child(XmlElement.builder("status", Stanza.CLIENT_NS).text(status).build()).build());
    }

    @Override
    public int logoutAll(long deadlineNanos) throws InterruptedException {
        return LoadHarness.boundedAll(online.length(), inflight, i -> {
            Account a = online.get(i);
            return a == null ? null : a.logout();
        }, deadlineNanos);
    }

    @Override
    public void close() {
        engine.close();
    }
}
