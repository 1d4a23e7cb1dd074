package org.openzoep;

import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.stanza.Stanza;

/**
 * What an account tells its application. Every method runs on the engine's API executor, one
 * call at a time per account and in order; never on a network thread. Implement the ones you use.
 */
public interface AccountListener {

    /**
     * XML the engine emits on the account's OpenZoep XML stream: the stream header, replies,
     * stanzas from the server, stream errors and the stream close. Called only once the
     * application has opened an XML stream with {@link Account#write}.
     */
    default void onXml(String xml) {
    }

    /** A message, presence, roster push or iq request from the server (typed API). */
    default void onStanza(Account account, Stanza stanza) {
    }

    /** The account went online ({@code online} true) or offline; {@code cause} says why it went offline, or null. */
    default void onStateChanged(Account account, boolean online, XmppException cause) {
    }

    /**
     * Something happened to a call: an incoming call ({@link CallEvent.Kind#INCOMING}), ringing,
     * joined, hold/mute by the peer, a DTMF digit, or the end.
     */
    default void onCall(Account account, Call call, CallEvent event) {
    }
}
