package org.openzoep.internal.account;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openzoep.AccountSettings;
import org.openzoep.xmpp.disco.ExternalServices;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.stanza.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The STUN servers of an account's calls: the configured ones, then those the server announces
 * (XEP-0215 external service discovery, asked once per login; an error, no answer within 3 s, or
 * a server without the feature adds none).
 *
 * <p>Thread: the account's serial executor.
 */
final class StunDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(StunDiscovery.class);

    private final DefaultAccount account;
    private Object discoveredFor;
    private CompletableFuture<List<ExternalServices.Service>> discovered;

    StunDiscovery(DefaultAccount account) {
        this.account = account;
    }

    /** Never fails; completes on serial. */
    CompletionStage<List<InetSocketAddress>> servers() {
        return announced().thenApplyAsync(this::resolve, account.serial());
    }

    private CompletionStage<List<ExternalServices.Service>> announced() {
        if (!account.isOnline()) {
            return CompletableFuture.completedFuture(List.of());
        }
        XmppSession session = account.online();
        if (discoveredFor != session) {
            discoveredFor = session;
            Jid me = account.jid();
            discovered = session.request(ExternalServices.request(Jid.parse(me.domain()),
                    "extdisco-" + UUID.randomUUID())).toCompletableFuture()
                    .thenApply(ExternalServices::parse)
                    .exceptionally(e -> List.of())
                    .completeOnTimeout(List.of(), 3, TimeUnit.SECONDS);
        }
        return discovered;
    }

    private List<InetSocketAddress> resolve(List<ExternalServices.Service> announced) {
        List<InetSocketAddress> out = new ArrayList<>();
        List<String[]> all = new ArrayList<>();
        for (AccountSettings.IceServer s : account.currentSettings().stunServers()) {
            all.add(new String[] {s.host(), Integer.toString(s.port() > 0 ? s.port() : 3478)});
        }
        for (ExternalServices.Service s : announced == null ? List.<ExternalServices.Service>of() : announced) {
            if ("stun".equals(s.type()) && (s.transport() == null || "udp".equals(s.transport()))) {
                all.add(new String[] {s.host(), Integer.toString(s.port() > 0 ? s.port() : 3478)});
            }
        }
        for (String[] hp : all) {
            try {
                // servers are usually literals; a name is looked up here, on the API thread
                InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
                if (!out.contains(a)) {
                    out.add(a);
                }
            } catch (IOException e) {
                LOG.debug("STUN server {} not resolved", hp[0], e);
            }
        }
        return out;
    }
}
