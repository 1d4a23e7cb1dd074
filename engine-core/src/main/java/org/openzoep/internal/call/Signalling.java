package org.openzoep.internal.call;

import org.openzoep.xmpp.stanza.Jid;

/**
 * Makes the signallers of outgoing legs. The account hands one in (the Jingle router); a later
 * SIP issue chooses between signallings by address.
 *
 * <p>Thread: the account's serial executor.
 */
public interface Signalling {

    /** A signaller for a new outgoing leg with session id {@code id} to {@code to}. */
    Signaller outgoing(String id, Jid to);
}
