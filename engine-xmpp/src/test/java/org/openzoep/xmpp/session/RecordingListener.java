package org.openzoep.xmpp.session;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.openzoep.xmpp.stanza.Stanza;

/** Keeps what a session reports: its stanzas, and how it closed ("graceful" or the cause). */
final class RecordingListener implements XmppSessionListener {
    final BlockingQueue<Stanza> stanzas = new LinkedBlockingQueue<>();
    final BlockingQueue<Object> closed = new LinkedBlockingQueue<>();

    @Override
    public void onStanza(XmppSession s, Stanza stanza) {
        stanzas.add(stanza);
    }

    @Override
    public void onClosed(XmppSession s, XmppException cause) {
        closed.add(cause == null ? "graceful" : cause);
    }
}
