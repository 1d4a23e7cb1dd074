package org.openzoep.internal.call;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.openzoep.AccountSettings;
import org.openzoep.CallAudio;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.stanza.Jid;

/**
 * The account as its calls see it: its serial executor, its XMPP session and its settings.
 *
 * <p>Thread: every method but {@link #serial()} runs on the account's serial executor.
 */
public interface CallHost {

    /** Where the account's state lives; call state is confined to it too. */
    Executor serial();

    boolean isOnline();

    /** The online session; throws {@link IllegalStateException} when offline. */
    XmppSession online();

    /** The bound JID, or null. */
    Jid jid();

    AccountSettings currentSettings();

    /** The audio for calls placed without their own (incoming calls, the XML API). */
    CallAudio defaultAudio();

    /**
     * STUN servers for a new leg: the configured ones, then those the server announces; never
     * fails (an empty list at worst). Completes on any thread.
     */
    CompletionStage<List<InetSocketAddress>> stunServers();
}
