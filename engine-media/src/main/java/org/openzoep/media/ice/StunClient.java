package org.openzoep.media.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.openzoep.media.stun.StunMessage;

/**
 * The STUN client side of an ICE agent (RFC 8489 section 6.2): starts transactions with fresh
 * random transaction ids, retransmits and times them out on each {@link #tick}, and matches
 * responses to them by transaction id. Gathering, connectivity checks and consent checks all run
 * their requests through one client.
 *
 * <p>Limits: UDP only (no reliable-transport timer), short-term credentials are the caller's
 * business (it signs the request and verifies the response in its {@link StunTransaction.Handler}).
 *
 * <p>Thread: the agent's event loop; not thread-safe. Time comes in as {@code now} from the
 * agent's {@link org.openzoep.media.MediaClock}. Buffers: requests are byte arrays the
 * transactions keep for their resends; responses are borrowed views.
 */
final class StunClient {

    /** Where requests go out; the agent sends from the base's socket. */
    interface Transmitter {
        /** @param message borrowed, never changed afterwards */
        void transmit(Base base, InetSocketAddress to, byte[] message);
    }

    private final Transmitter transmitter;
    private final Random random;
    private final List<StunTransaction> transactions = new ArrayList<>();
    private long sent;

    /**
     * @param random source of transaction ids (RFC 8489 section 6: uniformly and randomly
     *     chosen; the agent hands in a {@link java.security.SecureRandom})
     */
    StunClient(Transmitter transmitter, Random random) {
        this.transmitter = transmitter;
        this.random = random;
    }

    /** A new random 96-bit transaction id. */
    byte[] transactionId() {
        byte[] id = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        random.nextBytes(id);
        return id;
    }

    /** Sends the transaction's request now and keeps it until it ends. */
    void start(StunTransaction tx, long now) {
        tx.started(now);
        transactions.add(tx);
        sent++;
        transmitter.transmit(tx.base, tx.to, tx.request);
    }

    /** Resends what is due and times out what has expired; timeouts go to the handlers after the sweep. */
    void tick(long now) {
        List<StunTransaction> expired = null;
        for (StunTransaction tx : transactions) {
            if (tx.expired(now)) {
                expired = expired == null ? new ArrayList<>() : expired;
                expired.add(tx);
            } else if (tx.resendDue(now)) {
                transmitter.transmit(tx.base, tx.to, tx.request);
            }
        }
        if (expired != null) {
            for (StunTransaction tx : expired) {
                transactions.remove(tx);
                tx.handler.onTimeout(tx);
            }
        }
    }

    /**
     * A response arrived: hands it to its transaction's handler, which may accept it (the
     * transaction ends) or reject it.
     *
     * @param response borrowed for the call
     * @return false when it is dropped: no such transaction, a bad FINGERPRINT, or the handler
     *     rejected it
     */
    boolean onResponse(StunMessage response, Base base, InetSocketAddress from, long now) {
        StunTransaction tx = find(response);
        if (tx == null || (response.hasFingerprint() && !response.verifyFingerprint())) {
            return false;
        }
        if (!tx.handler.onResponse(tx, response, base, from, now)) {
            return false;
        }
        transactions.remove(tx);
        return true;
    }

    private StunTransaction find(StunMessage m) {
        for (StunTransaction tx : transactions) {
            if (m.transactionIdEquals(tx.id)) {
                return tx;
            }
        }
        return null;
    }

    /** Ends the matching transactions without calling their handlers. */
    void cancel(Predicate<StunTransaction> which) {
        transactions.removeIf(which);
    }

    /** Ends all transactions without calling their handlers. */
    void cancelAll() {
        transactions.clear();
    }

    /** Transactions running. */
    int pending() {
        return transactions.size();
    }

    /** Transactions started (first sends). */
    long started() {
        return sent;
    }
}
