package org.openzoep.internal.jingle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.openzoep.AccountSettings;
import org.openzoep.internal.call.CallHost;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;

/**
 * What the Jingle signalling sends through: the account's XMPP session. A seam, so that the
 * signaller's protocol can be tested against a recording link.
 *
 * <p>Thread: the account's serial executor.
 */
interface JingleLink {

    boolean online();

    /** Our full JID while online, else null. */
    Jid jid();

    /** Sends a stanza; nothing while offline. */
    void send(Stanza s);

    /** Sends an iq request; completes with the result, fails with the error reply. */
    CompletionStage<Stanza> request(Stanza iq);

    /** Where replies are handled. */
    Executor serial();

    /** Who may ring the account now (its settings). */
    AccountSettings.IncomingCalls incomingCalls();

    /** The link of an account's calls. */
    static JingleLink of(CallHost host) {
        return new JingleLink() {
            @Override
            public boolean online() {
                return host.isOnline();
            }

            @Override
            public Jid jid() {
                return host.jid();
            }

            @Override
            public void send(Stanza s) {
                if (host.isOnline()) {
                    host.online().send(s);
                }
            }

            @Override
            public CompletionStage<Stanza> request(Stanza iq) {
                return host.isOnline() ? host.online().request(iq)
                        : CompletableFuture.failedFuture(XmppException.of(XmppException.Kind.CLOSED, "offline"));
            }

            @Override
            public Executor serial() {
                return host.serial();
            }

            @Override
            public AccountSettings.IncomingCalls incomingCalls() {
                return host.currentSettings().incomingCalls();
            }
        };
    }
}
