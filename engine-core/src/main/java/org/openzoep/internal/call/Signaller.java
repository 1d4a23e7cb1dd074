package org.openzoep.internal.call;

import org.openzoep.CallEnd;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.xmpp.stanza.Jid;

/**
 * The signalling of one call leg, as the {@link Leg} sees it: protocol-neutral verbs and events
 * over the session description model. {@code JingleSignaller} implements it with XEP-0353 and
 * XEP-0166/0167/0176/0320; a SIP signaller implements the same verbs with INVITE, 180, 200/ACK,
 * INFO and BYE, without touching the leg or the media path.
 *
 * <p>The signaller owns the protocol's own state (what was sent, which content name the peer
 * chose, whether a request is out of order) and answers the peer's protocol errors itself; the
 * leg owns the call's state ({@link LegState}), the negotiation and the media path.
 *
 * <p>Thread: every method is called on the account's serial executor, and the signaller calls its
 * {@link Listener} there.
 */
public interface Signaller {

    /** Local information the peer is told about (XEP-0167 session-info, SIP INFO/re-INVITE). */
    enum Info { MUTE, UNMUTE, HOLD, ACTIVE }

    /**
     * Why this side ends a leg, as far as the peer needs to know beyond the {@link CallEnd}: the
     * signaller picks its protocol's reason from it (a Jingle reason condition, a SIP status).
     */
    enum Cause {
        /** What {@link CallEnd#reason()} says. */
        AS_ENDED,
        /** The offer carries no media this endpoint can use at all. */
        NO_APPLICATION,
        /** No common codec. */
        NO_COMMON_CODEC,
        /** The offer or answer was not secure enough, or security failed. */
        SECURITY,
        /** No network path, or the path timed out. */
        CONNECTIVITY,
        /** Media could not start here. */
        MEDIA
    }

    /** The signaller's events; on the account's serial executor. */
    interface Listener {
        /** The callee's device rings (outgoing). */
        void onRinging();

        /** The callee accepted on device {@code device} (outgoing): the offer may go now. */
        void onProceed(Jid device);

        /** The peer's offer (incoming); null when it carries nothing this model can describe. */
        void onOffer(MediaDescription offer);

        /** The peer's answer to our offer (outgoing). */
        void onAnswer(MediaDescription answer);

        /** Trickled ICE: the peer's credentials (may be null) and candidates. */
        void onRemoteIce(IceParameters ice);

        /** The peer's hold/mute state changed. */
        void onInfo(Info info);

        /** The peer ended the leg, refused a request or could not be reached: the leg ends, nobody is told. */
        void onEnded(CallEnd end);
    }

    /** Listens from now on. */
    void listen(Listener listener);

    /** The peer as the signalling names it (a bare JID while an outgoing call rings every device). */
    Jid peer();

    /** Outgoing: alerts the callee (XEP-0353 propose). */
    void ring();

    /** Incoming: tells the caller that this device rings. */
    void alerting();

    /** Incoming: the local party answered (XEP-0353 proceed); the answer follows once ready. */
    void accept();

    /** Outgoing, after {@link Listener#onProceed}: sends our offer. */
    void offer(MediaDescription offer);

    /** Incoming: sends our answer to the peer's offer. */
    void answer(MediaDescription answer);

    /** Trickles one local candidate (with our current credentials). */
    void candidate(IceParameters localIce, IceCandidate candidate);

    /** Tells the peer about a local hold or mute. */
    void info(Info info);

    /** Tells the peer the leg ends, as the protocol wants for its state. */
    void hangup(CallEnd end, Cause cause);

    /** The leg ended: forget the session; nothing more is sent or delivered. */
    void close();
}
