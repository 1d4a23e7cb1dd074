package org.openzoep.internal.jingle;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.openzoep.internal.call.CallHost;
import org.openzoep.internal.call.CallRegistry;
import org.openzoep.internal.call.Signaller;
import org.openzoep.internal.call.Signalling;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleException;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.jingle.Reason;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * An account's Jingle signalling: routes XEP-0353 messages and XEP-0166 iqs to their
 * {@link JingleSignaller} by session id, turns a proposal (or a bare session-initiate) into an
 * incoming call of the {@link CallRegistry}, refuses proposals without audio
 * ({@code unsupported-applications}), and answers Jingle requests for unknown sessions with
 * {@code item-not-found} + {@code unknown-session} (XEP-0166 section 7.2).
 *
 * <p>Thread: confined to the account's serial executor.
 */
public final class JingleRouter implements Signalling {
    private final JingleLink host;
    private final CallRegistry calls;
    private final Map<String, JingleSignaller> sessions = new HashMap<>();

    public JingleRouter(CallHost host, CallRegistry calls) {
        this(JingleLink.of(host), calls);
    }

    JingleRouter(JingleLink link, CallRegistry calls) {
        this.host = link;
        this.calls = calls;
    }

    @Override
    public Signaller outgoing(String id, Jid to) {
        JingleSignaller s = new JingleSignaller(this, host, id, to, false);
        sessions.put(id, s);
        return s;
    }

    void forget(JingleSignaller s) {
        sessions.remove(s.id(), s);
    }

    /** A message from the server: consumed (true) when it is call signalling. */
    public boolean onMessage(Stanza m) {
        if (m.isError()) {
            JingleSignaller s = m.id() == null ? null : sessions.get(m.id());
            if (s != null && m.from() != null && m.from().bare().equals(s.peer().bare())) {
                s.onProposeError(m.error());
                return true;
            }
            return false;
        }
        Optional<JingleMessage> jm;
        try {
            jm = JingleMessage.from(m);
        } catch (JingleException e) {
            return true; // malformed call signalling: nothing to answer for a message
        }
        if (jm.isEmpty()) {
            return false;
        }
        JingleMessage msg = jm.get();
        Jid from = m.from();
        Jid me = host.jid();
        if (from == null || me == null || from.isBare()) {
            return true;
        }
        JingleSignaller s = sessions.get(msg.id());
        if (from.bare().equals(me.bare())) {
            // our own other devices: one of them answered or declined a call that rings here too
            if (!from.equals(me) && s != null && s.incoming()) {
                s.onOtherDevice(msg);
            }
            return true;
        }
        if (msg.kind() == JingleMessage.Kind.PROPOSE) {
            if (s == null && !calls.exists(msg.id()) && m.extension("delay", "urn:xmpp:delay") == null) {
                if (!msg.proposes("audio")) {
                    // video-only and other applications: say so, and do not ring
                    host.send(JingleMessage.of(JingleMessage.Kind.REJECT, msg.id(),
                            new Reason(Reason.Condition.UNSUPPORTED_APPLICATIONS, "only audio calls are supported"))
                            .toMessage(from));
                    return true;
                }
                JingleSignaller in = new JingleSignaller(this, host, msg.id(), from, true);
                in.viaMessage();
                sessions.put(msg.id(), in);
                calls.incoming(msg.id(), in);
            }
            return true;
        }
        if (s != null && s.peer().bare().equals(from.bare())) {
            s.onJingleMessage(from, msg);
        }
        return true;
    }

    /** An iq request from the server: consumed (true) when it carries a Jingle element. */
    public boolean onIq(Stanza iq) {
        XmlElement j = iq.payload();
        if (j == null || !j.is("jingle", JingleNamespaces.JINGLE)) {
            return false;
        }
        if (!"set".equals(iq.type())) {
            host.send(iq.errorReply(StanzaError.of("cancel", "bad-request", "jingle is set only")));
            return true;
        }
        Jingle jingle;
        try {
            jingle = Jingle.parse(j);
        } catch (JingleException e) {
            host.send(iq.errorReply(e.error()));
            return true;
        }
        JingleSignaller s = sessions.get(jingle.sid());
        if (s == null && jingle.action() == Action.SESSION_INITIATE && iq.from() != null && !iq.from().isBare()
                && !calls.exists(jingle.sid())) {
            // a Jingle call without message initiation (plain XEP-0166): it rings like a proposal
            JingleSignaller in = new JingleSignaller(this, host, jingle.sid(), iq.from(), true);
            sessions.put(jingle.sid(), in);
            in.initiatedBy(iq, jingle);
            calls.incoming(jingle.sid(), in);
            return true;
        }
        if (s == null || iq.from() == null || !s.acceptsFrom(iq.from())) {
            host.send(iq.errorReply(StanzaError.of("cancel", "item-not-found", "unknown Jingle session")
                    .withAppCondition(XmlElement.of("unknown-session", JingleNamespaces.ERRORS))));
            return true;
        }
        s.onJingle(iq, jingle);
        return true;
    }
}
