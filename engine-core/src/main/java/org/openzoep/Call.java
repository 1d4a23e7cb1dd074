package org.openzoep;

import java.util.concurrent.CompletionStage;
import org.openzoep.xmpp.stanza.Jid;

/**
 * One voice call of an account, incoming or outgoing. Inside, every call is a conference with
 * legs (one remote leg today) so that more members can join later.
 *
 * <p>On the wire: XEP-0353 Jingle Message Initiation rings the callee's devices, then a
 * XEP-0166/0167 Jingle RTP session with XEP-0176 ICE-UDP and XEP-0320 DTLS-SRTP carries Opus,
 * PCMU or PCMA.
 *
 * <p>Thread: every method may be called from any thread and returns at once; the work runs on the
 * account's serial executor and events reach {@link AccountListener#onCall} in order. Applications
 * get calls from {@link Account#call}, {@link Account#calls()} and {@link AccountListener#onCall};
 * they do not implement this interface.
 */
public interface Call {

    /** The call's id: the XML API's {@code voice/@id}, and the Jingle session id. */
    String id();

    /** The other party: a bare JID while an outgoing call rings every device, else the full JID. */
    Jid peer();

    boolean incoming();

    CallState state();

    /**
     * Answers a ringing incoming call ({@code joined}). Fails with a {@link CallFailure}
     * ({@code bad-request}) when the call is not a ringing incoming one.
     */
    CompletionStage<Void> answer();

    /** Hangs up ({@code leave}): declines a ringing incoming call, cancels an unanswered outgoing one. */
    CompletionStage<Void> hangup();

    /** Mutes or unmutes the local voice; the peer is told (XEP-0167 session-info). */
    void mute(boolean on);

    /** Puts the call on hold or resumes it; the peer is told. */
    void hold(boolean on);

    boolean muted();

    boolean held();

    boolean remoteMuted();

    boolean remoteHeld();

    /** Sends DTMF digits (0-9, *, #, A-D) as RFC 4733 events, one after another. */
    void sendDtmf(String digits);

    /** Quality so far, as the local party hears it. */
    CallStats stats();

    /** Completes when the call has ended, with why (an end is an outcome, not a failure). */
    CompletionStage<CallEnd> ended();
}
