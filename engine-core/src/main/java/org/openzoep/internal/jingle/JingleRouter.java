package org.openzoep.internal.jingle;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
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
 * incoming call of the {@link CallRegistry} when {@link CallAdmission} lets it ring, refuses
 * proposals without audio ({@code unsupported-applications}), and answers Jingle requests for
 * unknown sessions with {@code item-not-found} + {@code unknown-session} (XEP-0166 section 7.2).
 *
 * <p>Refused calls: a proposal gets no answer at all (not even {@code unsupported-applications});
 * a session-initiate, an iq that must be answered, gets {@code service-unavailable}. Call
 * signalling in a {@code type='groupchat'} message is not call signalling for this account: the
 * message passes on to the application untouched.
 *
 * <p>Thread: confined to the account's serial executor.
 */
public final class JingleRouter implements Signalling {

    /** Where new incoming calls go: the account's {@link CallRegistry}; a seam for tests. */
    interface Incoming {
        /** True when a call with this id has not ended. */
        boolean exists(String id);

        /** A new incoming call rings. */
        void incoming(String id, Signaller signaller);
    }

    private final JingleLink host;
    private final Incoming calls;
    private final CallAdmission admission;
    private final Map<String, JingleSignaller> sessions = new HashMap<>();

    public JingleRouter(CallHost host, CallRegistry calls) {
        this(JingleLink.of(host), new Incoming() {
            @Override
            public boolean exists(String id) {
                return calls.exists(id);
            }

            @Override
            public void incoming(String id, Signaller signaller) {
                calls.incoming(id, signaller);
            }
        }, System::nanoTime);
    }

    JingleRouter(JingleLink link, Incoming calls, LongSupplier clock) {
        this.host = link;
        this.calls = calls;
        this.admission = new CallAdmission(link, clock);
    }

    /** The gate in front of new incoming calls (for tests). */
    CallAdmission admission() {
        return admission;
    }

    /** Sessions known (for tests). */
    int sessions() {
        return sessions.size();
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
        if ("groupchat".equals(m.type())) {
            return false; // XEP-0353 is between two parties; a room's message is not a call
        }
        if (m.isError()) {
            JingleSignaller s = m.id() == null ? null : sessions.get(m.id());
            if (s != null && m.from() != null && s.acceptsFrom(m.from())) {
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
                admission.admit(from, new CallAdmission.Verdict() {
                    @Override
                    public void ring() {
                        ringProposal(msg, from);
                    }

                    @Override
                    public void refuse() {
                        // silence: a refused caller must not learn that this device is online
                    }
                });
            }
            return true;
        }
        if (s != null) {
            s.onJingleMessage(from, msg); // the signaller checks that this sender may say this
        }
        return true;
    }

    private void ringProposal(JingleMessage msg, Jid from) {
        if (sessions.containsKey(msg.id()) || calls.exists(msg.id())) {
            return;
        }
        if (!msg.proposes("audio")) {
            // video-only and other applications: say so, and do not ring
            host.send(JingleMessage.of(JingleMessage.Kind.REJECT, msg.id(),
                    new Reason(Reason.Condition.UNSUPPORTED_APPLICATIONS, "only audio calls are supported"))
                    .toMessage(from));
            return;
        }
        JingleSignaller in = new JingleSignaller(this, host, msg.id(), from, true);
        in.viaMessage();
        sessions.put(msg.id(), in);
        calls.incoming(msg.id(), in);
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
            Jingle initiate = jingle;
            admission.admit(iq.from(), new CallAdmission.Verdict() {
                @Override
                public void ring() {
                    if (sessions.containsKey(initiate.sid()) || calls.exists(initiate.sid())) {
                        refuse();
                        return;
                    }
                    JingleSignaller in = new JingleSignaller(JingleRouter.this, host, initiate.sid(), iq.from(), true);
                    sessions.put(initiate.sid(), in);
                    in.initiatedBy(iq, initiate);
                    calls.incoming(initiate.sid(), in);
                }

                @Override
                public void refuse() {
                    host.send(iq.errorReply(StanzaError.of("cancel", "service-unavailable", null)));
                }
            });
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
