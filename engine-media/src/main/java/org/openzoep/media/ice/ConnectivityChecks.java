package org.openzoep.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.crypto.Mac;
import org.openzoep.media.stun.StunMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The STUN side of ICE connectivity checks (RFC 8445 sections 7.2 and 7.3) and of consent checks
 * (RFC 7675): builds and sends the checks the {@link CheckList} picks as {@link StunClient}
 * transactions, reads their responses, and answers the peer's checks.
 *
 * <p>Requests carry USERNAME "remote:local", PRIORITY (peer-reflexive, section 7.1.1), the role
 * attribute with the tie-breaker, USE-CANDIDATE when nominating, MESSAGE-INTEGRITY with the remote
 * password and FINGERPRINT. A response counts only with a valid MESSAGE-INTEGRITY (a forged or
 * stray one is dropped and the transaction goes on), and only when symmetric (from where the
 * request went, to the base it left from, section 7.2.5.2.1); otherwise the pair fails. A success
 * makes the pair valid, reports the local candidate the mapped address names (learning a
 * peer-reflexive local candidate when it names none, 7.2.5.3.1) and may select the pair
 * ({@link Nomination}); a 487 switches role and retries (7.2.5.1). Incoming checks without a
 * valid FINGERPRINT are dropped; without USERNAME or MESSAGE-INTEGRITY they get 400, with wrong
 * credentials 401 (unsigned), on a role conflict 487, else a signed success with
 * XOR-MAPPED-ADDRESS; then the pair is found or made (learning a peer-reflexive remote candidate)
 * and a triggered check queued (7.3.1.3-4).
 *
 * <p>Thread: the agent's event loop; {@link #checksSent()} may be read from any thread. Buffers:
 * requests are written to short-lived heap buffers and copied into the byte arrays their
 * transactions own; responses to the peer are written into a buffer whose ownership passes to
 * the socket; incoming messages are borrowed views.
 */
final class ConnectivityChecks implements StunTransaction.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectivityChecks.class);
    private static final String SOFTWARE = "OpenZoep";

    private final String localUfrag;
    private final Mac localMac;
    private final CheckList list;
    private final Nomination nomination;
    private final StunClient stun;
    private final CandidateGatherer gatherer;
    private final ConsentFreshness consent;
    private final BooleanSupplier checking;
    private final Consumer<CandidatePair> select;
    private final StunTransaction.Handler consentHandler = new ConsentHandler();
    private final List<IceCandidate> peerReflexiveLocal = new ArrayList<>();
    private String remoteUfrag;
    private Mac remoteMac;
    private volatile long checksSent;

    /**
     * @param checking whether checks still matter (no pair selected, not failed or closed)
     * @param select selects a pair: ICE is connected
     */
    ConnectivityChecks(String localUfrag, Mac localMac, CheckList list, Nomination nomination, StunClient stun,
            CandidateGatherer gatherer, ConsentFreshness consent, BooleanSupplier checking,
            Consumer<CandidatePair> select) {
        this.localUfrag = localUfrag;
        this.localMac = localMac;
        this.list = list;
        this.nomination = nomination;
        this.stun = stun;
        this.gatherer = gatherer;
        this.consent = consent;
        this.checking = checking;
        this.select = select;
    }

    void remoteCredentials(String ufrag, String password) {
        remoteUfrag = ufrag;
        remoteMac = StunMessage.hmac(StunMessage.shortTermKey(password));
    }

    /** Whether checks can go: the remote credentials and at least one remote candidate are known. */
    boolean ready() {
        return remoteMac != null && list.hasRemoteCandidates();
    }

    /** Connectivity and consent checks sent (first transmissions). */
    long checksSent() {
        return checksSent;
    }

    // ---------------------------------------------------------------- outgoing checks

    /** Sends a check of the pair; a new check of a pair supersedes its older one. */
    void check(CandidatePair p, long now) {
        boolean useCandidate = nomination.useCandidate(p);
        stun.cancel(tx -> tx.handler == this && tx.pair == p);
        byte[] id = stun.transactionId();
        byte[] request = request(p, id, useCandidate);
        list.checking(p);
        checksSent++;
        stun.start(new StunTransaction(id, p.base, p.remote.address(), request, StunRetransmission.CHECK, this, p,
                nomination.controlling(), useCandidate), now);
    }

    /** Sends a consent check on the selected pair (RFC 7675 section 5.1). */
    void consentCheck(CandidatePair p, long now, StunRetransmission schedule) {
        byte[] id = stun.transactionId();
        byte[] request = request(p, id, false);
        checksSent++;
        stun.start(new StunTransaction(id, p.base, p.remote.address(), request, schedule, consentHandler, p,
                nomination.controlling(), false), now);
    }

    /** Ends the running connectivity checks (not consent checks). */
    void cancelChecks() {
        stun.cancel(tx -> tx.handler == this);
    }

    /** Ends the running consent checks. */
    void cancelConsentChecks() {
        stun.cancel(tx -> tx.handler == consentHandler);
    }

    private byte[] request(CandidatePair p, byte[] id, boolean useCandidate) {
        ByteBuf b = Unpooled.buffer(128);
        try {
            StunMessage.Writer w = StunMessage.write(b, StunMessage.BINDING, StunMessage.REQUEST, id)
                    .username(remoteUfrag + ':' + localUfrag)
                    .priority(p.base.prflxPriority());
            if (nomination.controlling()) {
                w.iceControlling(nomination.tieBreaker());
            } else {
                w.iceControlled(nomination.tieBreaker());
            }
            if (useCandidate) {
                w.useCandidate();
            }
            w.messageIntegrity(remoteMac).fingerprint();
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Override
    public boolean onResponse(StunTransaction tx, StunMessage m, Base base, InetSocketAddress from, long now) {
        if (remoteMac == null || !m.verifyIntegrity(remoteMac)) {
            // a forged or stray response must not end the transaction
            return false;
        }
        if (!checking.getAsBoolean()) {
            return true;
        }
        CandidatePair p = tx.pair;
        if (!from.equals(tx.to) || tx.base != base) {
            p.state = PairState.FAILED;
            return true;
        }
        if (m.messageClass() == StunMessage.ERROR) {
            if (m.errorCode() == 487) {
                nomination.onRoleConflictResponse(tx.controlling, list);
                list.retry(p);
            } else {
                LOG.debug("check {} failed: {} {}", p, m.errorCode(), m.errorReason());
                p.state = PairState.FAILED;
                nomination.failed(p);
            }
            return true;
        }
        list.succeeded(p);
        p.validLocal = localCandidateFor(base, m.xorMappedAddress());
        if (nomination.onSuccess(p, tx, now)) {
            select.accept(p);
        }
        return true;
    }

    @Override
    public void onTimeout(StunTransaction tx) {
        if (tx.pair.state == PairState.IN_PROGRESS || tx.useCandidate) {
            tx.pair.state = PairState.FAILED;
        }
        nomination.failed(tx.pair);
    }

    /** The responses to consent checks: a successful, symmetric, authenticated one refreshes consent. */
    private final class ConsentHandler implements StunTransaction.Handler {
        @Override
        public boolean onResponse(StunTransaction tx, StunMessage m, Base base, InetSocketAddress from, long now) {
            if (remoteMac == null || !m.verifyIntegrity(remoteMac)) {
                return false;
            }
            if (from.equals(tx.to) && tx.base == base && m.messageClass() == StunMessage.SUCCESS) {
                consent.granted(now);
            }
            return true;
        }

        @Override
        public void onTimeout(StunTransaction tx) {
            // a later consent check may still succeed; expiry is judged by the consent timer
        }
    }

    /** The local candidate a success response's mapped address names (RFC 8445 section 7.2.5.3.1). */
    private IceCandidate localCandidateFor(Base base, InetSocketAddress mapped) {
        if (mapped == null) {
            return gatherer.reported(base);
        }
        for (IceCandidate c : gatherer.signalled()) {
            if (c.address().equals(mapped)) {
                return c;
            }
        }
        if (mapped.equals(base.address)) {
            return base.host;
        }
        for (IceCandidate c : peerReflexiveLocal) {
            if (c.address().equals(mapped)) {
                return c;
            }
        }
        IceCandidate prflx = new IceCandidate(
                IceCandidate.foundation(IceCandidate.Type.PRFLX, base.address.getAddress(), null, "udp"),
                IceAgent.COMPONENT, "udp", base.prflxPriority(), mapped, IceCandidate.Type.PRFLX, base.address, 0);
        peerReflexiveLocal.add(prflx);
        return prflx;
    }

    // ---------------------------------------------------------------- incoming checks

    /**
     * Answers a Binding request from the peer, then updates the checklist.
     *
     * @param m borrowed for the call
     * @return false when it was dropped without an answer (no valid FINGERPRINT)
     */
    boolean onRequest(Base base, StunMessage m, InetSocketAddress from) {
        if (!m.hasFingerprint() || !m.verifyFingerprint()) {
            return false;
        }
        String user = m.username();
        if (user == null || !m.hasMessageIntegrity()) {
            respond(base, from, m, 400, "Bad Request", null);
            return true;
        }
        int colon = user.indexOf(':');
        if (colon < 0 || !user.substring(0, colon).equals(localUfrag)
                || (remoteUfrag != null && !user.substring(colon + 1).equals(remoteUfrag))
                || !m.verifyIntegrity(localMac)) {
            respond(base, from, m, 401, "Unauthorized", null);
            return true;
        }
        if (nomination.resolve(m, list) == Nomination.Conflict.REJECT) {
            respond(base, from, m, 487, "Role Conflict", localMac);
            return true;
        }
        respond(base, from, m, 0, null, localMac);
        if (!checking.getAsBoolean()) {
            return true;
        }
        CandidatePair p = list.onIncomingCheck(base, from, m.priority());
        if (p == null) {
            return true;
        }
        if (nomination.onRequest(p, m.useCandidate())) {
            select.accept(p);
        } else if (p.state != PairState.SUCCEEDED) {
            list.trigger(p);
        }
        return true;
    }

    private static void respond(Base base, InetSocketAddress to, StunMessage request, int errorCode, String reason,
            Mac mac) {
        ByteBuf b = Unpooled.buffer(128);
        StunMessage.Writer w = StunMessage.write(b, request.method(),
                errorCode == 0 ? StunMessage.SUCCESS : StunMessage.ERROR, request.transactionId());
        if (errorCode == 0) {
            w.xorMappedAddress(to);
        } else {
            w.errorCode(errorCode, reason);
        }
        w.software(SOFTWARE);
        if (mac != null) {
            w.messageIntegrity(mac);
        }
        w.fingerprint();
        base.send(b, to);
    }
}
