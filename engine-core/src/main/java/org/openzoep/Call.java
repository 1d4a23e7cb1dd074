package org.openzoep;

import java.util.concurrent.CompletionStage;
import org.openzoep.internal.CallSession;
import org.openzoep.xmpp.stanza.Jid;

/**
 * One voice call of an account, incoming or outgoing. Inside, every call is a conference (one
 * mixer, the local party and one remote member today) so that more members can join later.
 *
 * <p>On the wire: XEP-0353 Jingle Message Initiation rings the callee's devices, then a XEP-0166/0167
 * Jingle RTP session with XEP-0176 ICE-UDP and XEP-0320 DTLS-SRTP carries Opus or PCMU.
 *
 * <p>Thread: every method may be called from any thread and returns at once; the work runs on the
 * account's serial executor and events reach {@link AccountListener#onCall} in order.
 */
public final class Call {
    private final CallSession session;

    /** Made by the engine; applications get calls from {@link Account#call} and {@link AccountListener#onCall}. */
    public Call(CallSession session) {
        this.session = session;
    }

    /** The call's id: the XML API's {@code voice/@id}, and the Jingle session id. */
    public String id() {
        return session.id();
    }

    /** The other party: a bare JID while an outgoing call rings every device, else the full JID. */
    public Jid peer() {
        return session.peer();
    }

    public boolean incoming() {
        return session.incoming();
    }

    public CallState state() {
        return session.state();
    }

    /** Answers a ringing incoming call ({@code joined}). */
    public CompletionStage<Void> answer() {
        return session.answer();
    }

    /** Hangs up ({@code leave}): declines a ringing incoming call, cancels an unanswered outgoing one. */
    public CompletionStage<Void> hangup() {
        return session.hangup();
    }

    /** Mutes or unmutes the local voice; the peer is told (XEP-0167 session-info). */
    public void mute(boolean on) {
        session.mute(on);
    }

    /** Puts the call on hold or resumes it; the peer is told. */
    public void hold(boolean on) {
        session.hold(on);
    }

    public boolean muted() {
        return session.muted();
    }

    public boolean held() {
        return session.held();
    }

    public boolean remoteMuted() {
        return session.remoteMuted();
    }

    public boolean remoteHeld() {
        return session.remoteHeld();
    }

    /** Sends DTMF digits (0-9, *, #, A-D) as RFC 4733 events, one after another. */
    public void sendDtmf(String digits) {
        session.sendDtmf(digits);
    }

    /** Quality so far, as the local party hears it. */
    public CallStats stats() {
        return session.stats();
    }

    /** Completes when the call has ended, with why. */
    public CompletionStage<CallEnd> ended() {
        return session.ended();
    }

    @Override
    public String toString() {
        return "Call[" + id() + (incoming() ? " from " : " to ") + peer() + ", " + state() + "]";
    }
}
