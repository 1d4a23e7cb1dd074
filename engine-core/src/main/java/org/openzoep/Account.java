package org.openzoep;

import java.util.concurrent.CompletionStage;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;

/**
 * One registered account ({@code api_register_account}, {@link ZoepEngine#registerAccount}).
 * Drive it with the OpenZoep XML stream ({@link #write}) or with the typed methods; both reach the
 * same session.
 *
 * <p>Failures: the stages fail with an {@link AccountFailure} (its XMPP cause, if any, inside).
 *
 * <p>Thread: every method may be called from any thread and returns at once. The account's own
 * work runs on its serial slice of the engine's API executor, so its state is confined there and
 * its listener sees events in order. Applications do not implement this interface.
 */
public interface Account {

    // ---- the OpenZoep XML stream ----

    /**
     * Writes part of the application's XML stream into the engine, in any chunking. The stream
     * starts with the stream header; the engine answers through {@link AccountListener#onXml}.
     */
    void write(CharSequence xml);

    /** Writes UTF-8 bytes of the application's XML stream; the array is copied. */
    void write(byte[] utf8, int offset, int length);

    // ---- typed API ----

    /**
     * Replaces the account's settings (the typed {@code configuration} iq); applies to the next
     * login. Fails with {@link AccountFailure.Reason#BAD_REQUEST} for settings that cannot work.
     */
    CompletionStage<Void> configure(AccountSettings settings);

    /** The account's settings. */
    CompletionStage<AccountSettings> settings();

    /**
     * Logs in as {@code jid} (bare, or full to ask for that resource): TCP, TLS, SASL SCRAM, bind.
     * Completes with the bound full JID, or fails with an {@link AccountFailure}
     * (e.g. {@link AccountFailure.Reason#AUTH_FAILED}).
     */
    CompletionStage<Jid> login(Jid jid, String password);

    /**
     * Sends a stanza once online; completes when written. Available presence goes out with the
     * engine's XEP-0115 capabilities.
     */
    CompletionStage<Void> send(Stanza stanza);

    /** Sends a chat message. */
    CompletionStage<Void> sendMessage(Jid to, String body);

    /** Sends available presence with an optional status text. */
    CompletionStage<Void> sendPresence(String status);

    /**
     * Sends an iq get/set and completes with the result; an error reply fails the stage with
     * {@link AccountFailure.Reason#STANZA_ERROR} and the reply's condition.
     */
    CompletionStage<Stanza> request(Stanza iq);

    /** Logs out: unavailable presence, then the stream closes gracefully. */
    CompletionStage<Void> logout();

    /** The account's calls. */
    Calls calls();

    /** {@code calls().place(null, to, audio)}: see {@link Calls#place}. */
    default CompletionStage<Call> call(Jid to, CallAudio audio) {
        return calls().place(null, to, audio);
    }

    /** {@code calls().place(id, to, audio)}: with the application's call id (the XML API's {@code voice/@id}). */
    default CompletionStage<Call> call(String id, Jid to, CallAudio audio) {
        return calls().place(id, to, audio);
    }

    /**
     * The audio the account's calls use unless told otherwise (incoming calls, the XML API);
     * replaces the configuration's {@code <audio capture playback/>} until the next configuration.
     */
    CompletionStage<Void> defaultAudio(CallAudio audio);

    /** The bound JID while online, else null. */
    Jid jid();
}
