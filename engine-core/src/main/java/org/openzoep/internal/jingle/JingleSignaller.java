package org.openzoep.internal.jingle;

import java.util.List;
import org.openzoep.CallEnd;
import org.openzoep.internal.call.Signaller;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.IceUdpTransport;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.jingle.Reason;
import org.openzoep.xmpp.jingle.SessionInfo;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * The Jingle {@link Signaller}: XEP-0353 Jingle Message Initiation (propose, ringing, proceed,
 * accept, reject, retract, finish) and a XEP-0166 session (session-initiate/accept/info/terminate,
 * transport-info) carrying XEP-0167 RTP, XEP-0176 ICE-UDP and XEP-0320 DTLS descriptions, mapped
 * by {@link JingleMapping}. A Jingle session without message initiation (plain XEP-0166) rings
 * like a proposal.
 *
 * <p>Every action after the first names the content as the session first did: ours
 * ({@code initiator}/{@code voice}) when we initiate, the peer's creator and name when it does.
 * Out-of-order requests get the XEP-0166 errors here; the leg never sees them.
 *
 * <p>Thread: confined to the account's serial executor.
 */
final class JingleSignaller implements Signaller {
    private final JingleRouter router;
    private final JingleLink host;
    private final String id;
    private final boolean incoming;
    private volatile Jid peer;
    private Listener listener;

    private boolean viaMessage;
    /** A session-initiate was sent (outgoing) or received (incoming). */
    private boolean signalled;
    /** Incoming: the local party accepted. Outgoing: a device of the callee proceeded. */
    private boolean accepted;
    private boolean answerSeen;
    private boolean closed;
    private Jid initiator;
    private String contentCreator = "initiator";
    private String contentName = "voice";
    private boolean offerDelivered;
    private MediaDescription pendingOffer;

    JingleSignaller(JingleRouter router, JingleLink host, String id, Jid peer, boolean incoming) {
        this.router = router;
        this.host = host;
        this.id = id;
        this.peer = peer;
        this.incoming = incoming;
    }

    String id() {
        return id;
    }

    boolean incoming() {
        return incoming;
    }

    /** The call began with a XEP-0353 proposal. */
    void viaMessage() {
        viaMessage = true;
    }

    /** Whether a Jingle request from {@code from} belongs to this session's peer. */
    boolean acceptsFrom(Jid from) {
        Jid p = peer;
        return from.equals(p) || (p.isBare() && from.bare().equals(p));
    }

    // ------------------------------------------------------------------ Signaller

    @Override
    public void listen(Listener l) {
        this.listener = l;
    }

    @Override
    public Jid peer() {
        return peer;
    }

    @Override
    public void ring() {
        viaMessage = true;
        send(JingleMessage.proposeAudio(id).toMessage(peer, id));
    }

    @Override
    public void alerting() {
        if (viaMessage) {
            send(JingleMessage.of(JingleMessage.Kind.RINGING, id, null).toMessage(peer));
        } else {
            sendInfo(SessionInfo.of(SessionInfo.Kind.RINGING));
        }
        if (pendingOffer != null || signalled) {
            deliverOffer();
        }
    }

    @Override
    public void accept() {
        accepted = true;
        if (viaMessage) {
            send(JingleMessage.of(JingleMessage.Kind.PROCEED, id, null).toMessage(peer));
            // the other devices of this account stop ringing
            send(JingleMessage.of(JingleMessage.Kind.ACCEPT, id, null).toMessage(host.jid().bare()));
        }
    }

    @Override
    public void offer(MediaDescription offer) {
        signalled = true;
        contentCreator = "initiator";
        contentName = offer.mid();
        request(new Jingle(Action.SESSION_INITIATE, id, host.jid(), null,
                List.of(JingleMapping.toContent(offer, contentCreator, contentName, true)), null, null),
                "session-initiate");
    }

    @Override
    public void answer(MediaDescription answer) {
        request(new Jingle(Action.SESSION_ACCEPT, id, initiator, host.jid(),
                List.of(JingleMapping.toContent(answer, contentCreator, contentName, false)), null, null),
                "session-accept");
    }

    @Override
    public void candidate(IceParameters localIce, IceCandidate c) {
        if (!signalled) {
            return;
        }
        request(new Jingle(Action.TRANSPORT_INFO, id, incoming ? null : host.jid(), null,
                List.of(new Content(contentCreator, contentName, null, null, new IceUdpTransport(localIce.ufrag(),
                        localIce.pwd(), null, List.of(JingleMapping.toJingle(c))))), null, null), "transport-info");
    }

    @Override
    public void info(Info info) {
        if (!signalled) {
            return;
        }
        sendInfo(switch (info) {
            case MUTE -> new SessionInfo(SessionInfo.Kind.MUTE, contentCreator, contentName);
            case UNMUTE -> new SessionInfo(SessionInfo.Kind.UNMUTE, contentCreator, contentName);
            case HOLD -> SessionInfo.of(SessionInfo.Kind.HOLD);
            case ACTIVE -> SessionInfo.of(SessionInfo.Kind.ACTIVE);
        });
    }

    @Override
    public void hangup(CallEnd end, Cause cause) {
        if (!host.online()) {
            return;
        }
        Reason reason = new Reason(condition(end.reason(), cause), end.text());
        if (signalled) {
            request(new Jingle(Action.SESSION_TERMINATE, id, null, null, List.of(), reason, null), "session-terminate");
        } else if (!incoming && viaMessage) {
            send(JingleMessage.of(JingleMessage.Kind.RETRACT, id, reason).toMessage(peer));
        } else if (incoming && viaMessage) {
            if (!accepted) {
                Reason decline = new Reason(reason.condition() == Reason.Condition.SUCCESS ? Reason.Condition.DECLINE
                        : reason.condition(), end.text());
                send(JingleMessage.of(JingleMessage.Kind.REJECT, id, decline).toMessage(peer));
                // the other devices of this account stop ringing
                send(JingleMessage.of(JingleMessage.Kind.REJECT, id, decline).toMessage(host.jid().bare()));
            } else {
                request(new Jingle(Action.SESSION_TERMINATE, id, null, null, List.of(), reason, null),
                        "session-terminate");
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        router.forget(this);
    }

    /** The Jingle reason for an end this side decides. */
    static Reason.Condition condition(CallEnd.Reason r, Cause cause) {
        return switch (cause) {
            case NO_APPLICATION -> Reason.Condition.UNSUPPORTED_APPLICATIONS;
            case NO_COMMON_CODEC -> Reason.Condition.FAILED_APPLICATION;
            case SECURITY -> Reason.Condition.SECURITY_ERROR;
            case CONNECTIVITY -> Reason.Condition.CONNECTIVITY_ERROR;
            case MEDIA -> Reason.Condition.MEDIA_ERROR;
            case AS_ENDED -> switch (r) {
                case HANGUP, REMOTE_HANGUP -> Reason.Condition.SUCCESS;
                case CANCELLED, ANSWERED_ELSEWHERE -> Reason.Condition.CANCEL;
                case DECLINED -> Reason.Condition.DECLINE;
                case BUSY -> Reason.Condition.BUSY;
                case OFFLINE, NO_ANSWER -> Reason.Condition.TIMEOUT;
                case NO_COMMON_CODEC -> Reason.Condition.FAILED_APPLICATION;
                case ICE_FAILED, MEDIA_LOST -> Reason.Condition.CONNECTIVITY_ERROR;
                case DTLS_FAILED, INSECURE -> Reason.Condition.SECURITY_ERROR;
                default -> Reason.Condition.GENERAL_ERROR;
            };
        };
    }

    // ------------------------------------------------------------------ XEP-0353 from the router

    void onProposeError(StanzaError error) {
        if (incoming || accepted || listener == null) {
            return;
        }
        String c = error == null ? "" : error.condition();
        String text = error != null && error.text() != null ? ": " + error.text() : "";
        if ("item-not-found".equals(c) || "remote-server-not-found".equals(c)) {
            listener.onEnded(new CallEnd(CallEnd.Reason.UNKNOWN_USER, peer + " cannot be reached (" + c + ")" + text));
        } else {
            // Prosody answers service-unavailable both for an offline account and for an unknown one
            listener.onEnded(new CallEnd(CallEnd.Reason.OFFLINE, peer + " is offline or unknown (" + c + ")" + text));
        }
    }

    /**
     * A JMI message from the peer's side. Taken only from whoever may say it (issue 12, L1): the
     * callee's answers ({@code ringing}, {@code proceed}, {@code reject}) from the called full JID,
     * or from any resource of the called bare JID when every device rings; after a proceed, and
     * for an incoming call, only from the peer's full JID. The first valid answer wins: after a
     * proceed nothing else answers.
     */
    void onJingleMessage(Jid from, JingleMessage msg) {
        if (!acceptsFrom(from)) {
            return;
        }
        switch (msg.kind()) {
            case RINGING -> {
                if (!incoming && !accepted) {
                    listener.onRinging();
                }
            }
            case PROCEED -> {
                if (!incoming && !accepted) {
                    accepted = true;
                    peer = from;
                    listener.onProceed(from);
                }
            }
            case REJECT -> {
                if (!incoming && !accepted) {
                    boolean busy = msg.reason() != null && msg.reason().condition() == Reason.Condition.BUSY;
                    listener.onEnded(new CallEnd(busy ? CallEnd.Reason.BUSY : CallEnd.Reason.DECLINED,
                            reasonText(msg.reason(), busy ? peer + " is busy" : peer + " declined the call")));
                }
            }
            case RETRACT -> {
                if (incoming && !accepted) {
                    listener.onEnded(new CallEnd(CallEnd.Reason.CANCELLED, reasonText(msg.reason(), "the caller hung up")));
                }
            }
            case FINISH -> {
                if (!signalled) {
                    listener.onEnded(new CallEnd(CallEnd.Reason.REMOTE_HANGUP,
                            reasonText(msg.reason(), "the call was finished")));
                }
            }
            default -> {
                // PROPOSE is the router's; ACCEPT only comes from our own devices
            }
        }
    }

    /** One of our own other devices answered or declined a call that rings here too. */
    void onOtherDevice(JingleMessage msg) {
        if (!incoming || accepted) {
            return;
        }
        switch (msg.kind()) {
            case ACCEPT, PROCEED -> listener.onEnded(new CallEnd(CallEnd.Reason.ANSWERED_ELSEWHERE,
                    "answered on another device"));
            case REJECT -> listener.onEnded(new CallEnd(CallEnd.Reason.ANSWERED_ELSEWHERE, "declined on another device"));
            default -> {
            }
        }
    }

    /** An incoming call that starts with a session-initiate (no message initiation). */
    void initiatedBy(Stanza iq, Jingle initiate) {
        viaMessage = false;
        send(iq.result());
        takeOffer(initiate);
    }

    // ------------------------------------------------------------------ XEP-0166 from the router

    void onJingle(Stanza iq, Jingle j) {
        switch (j.action()) {
            case SESSION_INITIATE -> {
                if (!incoming || signalled) {
                    replyError(iq, StanzaError.of("cancel", "bad-request", "session already initiated")
                            .withAppCondition(XmlElement.of("out-of-order", JingleNamespaces.ERRORS)));
                    return;
                }
                send(iq.result());
                takeOffer(j);
                deliverOffer();
            }
            case SESSION_ACCEPT -> {
                if (incoming || !signalled || answerSeen) {
                    replyError(iq, StanzaError.of("cancel", "unexpected-request", "no session-accept expected")
                            .withAppCondition(XmlElement.of("out-of-order", JingleNamespaces.ERRORS)));
                    return;
                }
                send(iq.result());
                answerSeen = true;
                Content c = audioContent(j);
                listener.onAnswer(c == null ? null : JingleMapping.toDescription(c, false));
            }
            case TRANSPORT_INFO -> {
                send(iq.result());
                for (Content c : j.contents()) {
                    if (c.transport() != null) {
                        listener.onRemoteIce(JingleMapping.toIce(c.transport()));
                    }
                }
            }
            case SESSION_INFO -> onSessionInfo(iq, j);
            case SESSION_TERMINATE -> {
                send(iq.result());
                listener.onEnded(fromReason(j.reason()));
            }
            default -> replyError(iq, StanzaError.of("cancel", "feature-not-implemented",
                    j.action().wireName() + " is not supported"));
        }
    }

    private void takeOffer(Jingle initiate) {
        signalled = true;
        initiator = initiate.initiator();
        Content c = audioContent(initiate);
        if (c != null) {
            contentCreator = c.creator();
            contentName = c.name();
            pendingOffer = JingleMapping.toDescription(c, true);
        }
    }

    private void deliverOffer() {
        if (!offerDelivered && listener != null) {
            offerDelivered = true;
            listener.onOffer(pendingOffer);
        }
    }

    private void onSessionInfo(Stanza iq, Jingle j) {
        send(iq.result());
        SessionInfo info = j.info();
        if (info == null) {
            return; // an empty session-info is a ping
        }
        switch (info.kind()) {
            case RINGING -> {
                if (!incoming) {
                    listener.onRinging();
                }
            }
            case HOLD -> listener.onInfo(Info.HOLD);
            case ACTIVE, UNHOLD -> listener.onInfo(Info.ACTIVE);
            case MUTE -> listener.onInfo(Info.MUTE);
            case UNMUTE -> listener.onInfo(Info.UNMUTE);
        }
    }

    private CallEnd fromReason(Reason r) {
        String who = peer.toString();
        if (r == null) {
            return new CallEnd(CallEnd.Reason.REMOTE_HANGUP, who + " ended the call");
        }
        return switch (r.condition()) {
            case SUCCESS, GONE -> new CallEnd(CallEnd.Reason.REMOTE_HANGUP, reasonText(r, who + " hung up"));
            case DECLINE -> new CallEnd(CallEnd.Reason.DECLINED, reasonText(r, who + " declined the call"));
            case BUSY -> new CallEnd(CallEnd.Reason.BUSY, reasonText(r, who + " is busy"));
            case CANCEL -> new CallEnd(incoming && !accepted ? CallEnd.Reason.CANCELLED : CallEnd.Reason.REMOTE_HANGUP,
                    reasonText(r, who + " cancelled the call"));
            case TIMEOUT, EXPIRED -> new CallEnd(CallEnd.Reason.NO_ANSWER, reasonText(r, "the call timed out"));
            case FAILED_APPLICATION, UNSUPPORTED_APPLICATIONS, INCOMPATIBLE_PARAMETERS ->
                    new CallEnd(CallEnd.Reason.NO_COMMON_CODEC, reasonText(r, who + " found no common codec"));
            case CONNECTIVITY_ERROR, FAILED_TRANSPORT, UNSUPPORTED_TRANSPORTS ->
                    new CallEnd(CallEnd.Reason.ICE_FAILED, reasonText(r, "no network path to " + who));
            case SECURITY_ERROR -> new CallEnd(CallEnd.Reason.DTLS_FAILED, reasonText(r, who + " refused the security"));
            case MEDIA_ERROR -> new CallEnd(CallEnd.Reason.MEDIA_LOST, reasonText(r, "media failed"));
            default -> new CallEnd(CallEnd.Reason.FAILED, reasonText(r, who + " ended the call with an error"));
        };
    }

    private static String reasonText(Reason r, String fallback) {
        return r != null && r.text() != null && !r.text().isBlank() ? r.text() : fallback;
    }

    private static Content audioContent(Jingle j) {
        for (Content c : j.contents()) {
            if (c.description() != null && "audio".equals(c.description().media())) {
                return c;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ sending

    private void send(Stanza s) {
        host.send(s);
    }

    private void replyError(Stanza iq, StanzaError e) {
        send(iq.errorReply(e));
    }

    private void sendInfo(SessionInfo info) {
        request(new Jingle(Action.SESSION_INFO, id, null, null, List.of(), null, info), "session-info");
    }

    /** A Jingle request; a refusal of one that matters ends the leg (nobody is told: the peer refused). */
    private void request(Jingle j, String what) {
        if (!host.online()) {
            return;
        }
        Stanza iq = Stanza.iq("set").to(peer).id(id + "-" + Long.toHexString(System.nanoTime())).child(j.toXml()).build();
        host.request(iq).whenCompleteAsync((r, err) -> {
            if (err != null && !closed && j.action() != Action.SESSION_TERMINATE
                    && j.action() != Action.TRANSPORT_INFO && j.action() != Action.SESSION_INFO) {
                String why = err.getCause() != null ? err.getCause().getMessage() : err.getMessage();
                listener.onEnded(new CallEnd(CallEnd.Reason.FAILED, peer + " refused the " + what + ": " + why));
            }
        }, host.serial());
    }
}
