package org.openzoep.xmpp.session;

import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;

/**
 * Receives what a session brings. Called on the executor the session was given, one call at a
 * time and in stream order; never on the event loop.
 */
public interface XmppSessionListener {

    /**
     * A message or presence stanza, or a roster push (already acknowledged).
     */
    void onStanza(XmppSession session, Stanza stanza);

    /**
     * An iq {@code get} or {@code set} the engine does not answer itself (it answers XEP-0199
     * pings, XEP-0030 disco#info and roster pushes). It must be answered with {@link
     * XmppSession#send}; by default it is refused with {@code service-unavailable} (RFC 6120
     * §8.4).
     */
    default void onIqRequest(XmppSession session, Stanza iq) {
        session.send(iq.errorReply(StanzaError.of("cancel", "service-unavailable", null)));
    }

    /**
     * The session ended. {@code cause} is null after a graceful close by either side, else why
     * (a stream error, a lost connection, a keepalive timeout).
     */
    default void onClosed(XmppSession session, XmppException cause) {
    }
}
