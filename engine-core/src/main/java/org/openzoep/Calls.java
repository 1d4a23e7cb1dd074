package org.openzoep;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.openzoep.xmpp.stanza.Jid;

/**
 * The calls of one account: {@link Account#calls()}.
 *
 * <p>Thread: every method may be called from any thread and returns at once; {@link #find} and
 * {@link #active} read a snapshot that the account's serial executor keeps current.
 */
public interface Calls {

    /** A call that has not ended, by its id ({@code voice/@id}). */
    Optional<Call> find(String id);

    /** Calls that have not ended. */
    List<Call> active();

    /**
     * Calls {@code to} ({@code <voice type='join'/>}): a bare JID rings every online device of the
     * callee, a full JID one device. Audio comes from and goes to {@code audio}. The call's events
     * reach {@link AccountListener#onCall}; a call that cannot start (bad address, id taken,
     * offline) completes the stage and ends at once with a {@link CallEnd} saying why.
     *
     * @param id the application's call id, or null to have one made
     */
    CompletionStage<Call> place(String id, Jid to, CallAudio audio);
}
