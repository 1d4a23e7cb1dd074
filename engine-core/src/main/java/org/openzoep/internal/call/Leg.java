package org.openzoep.internal.call;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openzoep.AccountSettings;
import org.openzoep.CallEnd;
import org.openzoep.media.description.DtlsSetup;
import org.openzoep.media.description.IceParameters;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.media.description.Negotiated;
import org.openzoep.media.description.NegotiationException;
import org.openzoep.media.description.NegotiationPolicy;
import org.openzoep.media.description.OfferAnswer;
import org.openzoep.media.description.Security;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.media.path.CodecSettings;
import org.openzoep.media.path.MediaPath;
import org.openzoep.media.path.PathOptions;
import org.openzoep.media.path.PathStats;
import org.openzoep.xmpp.stanza.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leg of a call: one {@link Signaller}, one {@link MediaPath} and the state machine
 * ({@link LegState}) that joins them. The leg runs offer/answer ({@link OfferAnswer}, RFC 3264)
 * between what the signaller delivers and what the path needs, and owns the call's timers.
 *
 * <p>Roles: the caller offers (Jingle initiator), is the ICE controlling agent and offers
 * {@code setup='actpass'}; the callee answers {@code active} and is the DTLS client. Media flows
 * only once ICE has chosen a pair and DTLS has checked the peer's certificate against the
 * signalled fingerprint; an offer or answer without one is refused.
 *
 * <p>Thread: confined to the account's serial executor; the path's events hop onto it.
 */
final class Leg implements Signaller.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Leg.class);
    private static final int MAX_PENDING_ICE = 64;
    /** Remote candidates kept before the media path exists; the checklist takes no more than 100 either. */
    private static final int MAX_PENDING_CANDIDATES = 100;
    /** Our content name (Jingle) / mid (SDP) in offers we make. */
    static final String MID = "voice";

    private final DefaultCall call;
    private final Signaller signaller;
    private final CallHost host;
    private final CallResources res;
    private final Executor serial;
    private final boolean incoming;
    private final long createdNanos = System.nanoTime();

    private volatile LegState state;
    private volatile Jid peer;
    private volatile MediaPath path;
    private volatile Negotiated negotiated;
    private boolean pathOpen;
    private boolean offerPending;
    private boolean offerReceived;
    private MediaDescription remoteOffer;
    private MediaDescription localOffer;
    private boolean described;
    private boolean connected;
    private boolean iceFailed;
    private final List<IceParameters> pendingIce = new ArrayList<>();
    private int pendingCandidates;
    private ScheduledFuture<?> ringTimer;
    private ScheduledFuture<?> answerTimer;
    private ScheduledFuture<?> setupTimer;

    Leg(DefaultCall call, Signaller signaller, boolean incoming, CallHost host, CallResources res) {
        this.call = call;
        this.signaller = signaller;
        this.host = host;
        this.res = res;
        this.serial = host.serial();
        this.incoming = incoming;
        this.peer = signaller.peer();
        this.state = incoming ? LegState.RINGING : LegState.CALLING;
        signaller.listen(this);
    }

    LegState state() {
        return state;
    }

    Jid peer() {
        return peer;
    }

    Signaller signaller() {
        return signaller;
    }

    // ------------------------------------------------------------------ the local party

    void startOutgoing() {
        signaller.ring();
        ringTimer = schedule(res.settings().ringTimeout(), () -> {
            if (state == LegState.CALLING) {
                end(new CallEnd(CallEnd.Reason.OFFLINE, peer + " did not ring: no device is online to take the call"),
                        true, Signaller.Cause.AS_ENDED);
            }
        });
        answerTimer = schedule(res.settings().answerTimeout(), () -> {
            if (state.ringing()) {
                end(new CallEnd(CallEnd.Reason.NO_ANSWER, "no answer within "
                        + res.settings().answerTimeout().toSeconds() + " s"), true, Signaller.Cause.AS_ENDED);
            }
        });
        openPath(true);
    }

    void startIncoming() {
        signaller.alerting();
        answerTimer = schedule(res.settings().answerTimeout().plusSeconds(15), () -> {
            if (state == LegState.RINGING) {
                end(new CallEnd(CallEnd.Reason.CANCELLED, "the caller stopped calling"), true, Signaller.Cause.AS_ENDED);
            }
        });
    }

    /** The local party answers; false unless this is a ringing incoming leg. */
    boolean answer() {
        if (!incoming || state != LegState.RINGING) {
            return false;
        }
        cancel(answerTimer);
        go(LegState.CONNECTING);
        setupTimer = schedule(res.settings().setupTimeout(), this::setupTimedOut);
        signaller.accept();
        openPath(false);
        return true;
    }

    void info(Signaller.Info info) {
        if (state != LegState.ENDED) {
            signaller.info(info);
        }
    }

    void sendDtmf(int event, int durationMs) {
        MediaPath p = path;
        if (p != null) {
            p.sendDtmf(event, durationMs);
        }
    }

    /** Live figures while media flows; the last ones after the end. */
    PathStats stats() {
        MediaPath p = path;
        return p == null ? PathStats.NONE : p.stats();
    }

    // ------------------------------------------------------------------ the media path

    private void openPath(boolean controlling) {
        host.stunServers().whenCompleteAsync((stun, err) -> {
            if (state == LegState.ENDED) {
                return;
            }
            MediaPath p = MediaPath.create(res.media(), new PathOptions(controlling, stun == null ? List.of() : stun,
                    codecSettings(), host.jid() + "/" + call.id()), call.conference(), new PathEvents());
            path = p;
            for (IceParameters ice : pendingIce) {
                remoteIce(ice);
            }
            pendingIce.clear();
            p.open().whenCompleteAsync(this::pathOpened, serial);
        }, serial);
    }

    private void pathOpened(Void v, Throwable err) {
        if (state == LegState.ENDED) {
            return;
        }
        if (err != null) {
            Throwable c = err.getCause() != null ? err.getCause() : err;
            end(new CallEnd(CallEnd.Reason.ICE_FAILED, "cannot open a media socket: " + c.getMessage()), true,
                    Signaller.Cause.AS_ENDED);
            return;
        }
        trace("media path open");
        pathOpen = true;
        sendOfferIfReady();
        answerIfReady();
    }

    private CodecSettings codecSettings() {
        for (AccountSettings.Codec c : host.currentSettings().codecs()) {
            if (c.name().equalsIgnoreCase("opus")) {
                return new CodecSettings(c.complexity(), c.bitrate(), c.dtx(), c.fec());
            }
        }
        return CodecSettings.DEFAULTS;
    }

    private NegotiationPolicy policy() {
        List<String> codecs = new ArrayList<>();
        for (AccountSettings.Codec c : host.currentSettings().codecs()) {
            codecs.add(c.name());
        }
        return new NegotiationPolicy(codecs, false, false);
    }

    /** The path's events, hopped onto serial. */
    private final class PathEvents implements MediaPath.Listener {
        @Override
        public void onLocalCandidate(IceCandidate c) {
            serial.execute(() -> {
                MediaPath p = path;
                if (described && state != LegState.ENDED && p != null) {
                    signaller.candidate(p.localIce(), c);
                }
            });
        }

        @Override
        public void onConnected(String localType, String remoteType) {
            serial.execute(() -> {
                trace("connected " + localType + "/" + remoteType);
                connected = true;
            });
        }

        @Override
        public void onMediaStarted() {
            serial.execute(Leg.this::mediaStarted);
        }

        @Override
        public void onFailed(MediaPath.PathFailure failure, String text) {
            serial.execute(() -> {
                switch (failure) {
                    case ICE_FAILED -> {
                        iceFailed = true;
                        end(new CallEnd(CallEnd.Reason.ICE_FAILED, "no network path to " + peer + ": " + text), true,
                                Signaller.Cause.CONNECTIVITY);
                    }
                    case DTLS_FAILED -> end(new CallEnd(CallEnd.Reason.DTLS_FAILED, "DTLS-SRTP with " + peer
                            + " failed: " + text), true, Signaller.Cause.SECURITY);
                    case MEDIA_LOST -> end(new CallEnd(CallEnd.Reason.MEDIA_LOST, "media from " + peer
                            + " stopped (" + text + ")"), true, Signaller.Cause.CONNECTIVITY);
                    case MEDIA_FAILED -> end(new CallEnd(CallEnd.Reason.FAILED, "media could not start: " + text), true,
                            Signaller.Cause.MEDIA);
                    case OVERLOADED -> end(new CallEnd(CallEnd.Reason.OVERLOADED, "the call with " + peer
                            + " could not be secured: " + text), true, Signaller.Cause.MEDIA);
                }
            });
        }

        @Override
        public void onDtmf(int event) {
            serial.execute(() -> {
                if (state != LegState.ENDED) {
                    call.legDtmf(Leg.this, event);
                }
            });
        }
    }

    private void mediaStarted() {
        if (state != LegState.CONNECTING) {
            return;
        }
        trace("media started");
        String failure = call.legMediaStarted(this);
        if (failure != null) {
            end(new CallEnd(CallEnd.Reason.FAILED, failure), true, Signaller.Cause.MEDIA);
            return;
        }
        cancel(setupTimer);
        go(LegState.ACTIVE);
        trace("joined");
        call.legJoined(this);
    }

    private void setupTimedOut() {
        if (state == LegState.CONNECTING) {
            boolean ice = !iceFailed && path != null && !connected;
            end(new CallEnd(ice ? CallEnd.Reason.ICE_FAILED : CallEnd.Reason.DTLS_FAILED,
                    "the call did not connect within " + res.settings().setupTimeout().toSeconds() + " s"), true,
                    Signaller.Cause.CONNECTIVITY);
        }
    }

    // ------------------------------------------------------------------ offer/answer

    private void sendOfferIfReady() {
        if (!offerPending || !pathOpen || state == LegState.ENDED) {
            return;
        }
        offerPending = false;
        localOffer = OfferAnswer.offer(MID, policy(), path.localIce(), null, path.localDtls(DtlsSetup.ACTPASS));
        described = true;
        signaller.offer(localOffer);
    }

    private void answerIfReady() {
        if (!incoming || state != LegState.CONNECTING || !offerReceived || !pathOpen || described) {
            return;
        }
        if (remoteOffer == null) {
            end(new CallEnd(CallEnd.Reason.NO_COMMON_CODEC, "the offer has no audio over ICE-UDP"), true,
                    Signaller.Cause.NO_APPLICATION);
            return;
        }
        try {
            var answer = OfferAnswer.answer(remoteOffer, policy(), path.localIce(), null,
                    path.localDtls(DtlsSetup.ACTIVE));
            negotiated = answer.negotiated();
            described = true;
            signaller.answer(answer.description());
            startPath(answer.negotiated());
        } catch (NegotiationException e) {
            refuse(e, remoteOffer, "offer");
        }
    }

    /** Ends the leg for a failed negotiation, with the contract's mapping of failures to ends. */
    private void refuse(NegotiationException e, MediaDescription theirs, String what) {
        switch (e.failure()) {
            case NO_AUDIO -> end(new CallEnd(CallEnd.Reason.NO_COMMON_CODEC, e.getMessage()), true,
                    Signaller.Cause.NO_APPLICATION);
            case NO_COMMON_CODEC -> end(new CallEnd(CallEnd.Reason.NO_COMMON_CODEC, e.getMessage()), true,
                    Signaller.Cause.NO_COMMON_CODEC);
            case INSECURE -> end(new CallEnd(CallEnd.Reason.INSECURE, theirs.security() instanceof Security.Plain
                    ? "the " + what + " has no DTLS fingerprint; unencrypted media is refused" : e.getMessage()), true,
                    Signaller.Cause.SECURITY);
            case BAD_ANSWER -> end(new CallEnd(CallEnd.Reason.FAILED, e.getMessage()), true,
                    Signaller.Cause.NO_COMMON_CODEC);
        }
    }

    // ------------------------------------------------------------------ the signaller's events

    @Override
    public void onRinging() {
        if (!incoming && state == LegState.CALLING) {
            trace("ringing");
            cancel(ringTimer);
            go(LegState.RINGING);
            call.legRinging(this);
        }
    }

    @Override
    public void onProceed(Jid device) {
        if (incoming || !state.ringing()) {
            return;
        }
        trace("proceed");
        peer = device;
        cancel(ringTimer);
        cancel(answerTimer);
        go(LegState.CONNECTING);
        setupTimer = schedule(res.settings().setupTimeout(), this::setupTimedOut);
        offerPending = true;
        sendOfferIfReady();
    }

    @Override
    public void onOffer(MediaDescription offer) {
        if (!incoming || offerReceived || state == LegState.ENDED) {
            return;
        }
        offerReceived = true;
        remoteOffer = offer;
        answerIfReady();
    }

    @Override
    public void onAnswer(MediaDescription answer) {
        if (incoming || localOffer == null || negotiated != null || state != LegState.CONNECTING) {
            return;
        }
        try {
            negotiated = OfferAnswer.complete(localOffer, answer, policy());
            startPath(negotiated);
        } catch (NegotiationException e) {
            refuse(e, answer, "answer");
        }
    }

    @Override
    public void onRemoteIce(IceParameters ice) {
        if (state == LegState.ENDED) {
            return;
        }
        if (path == null) {
            if (ice != null && pendingIce.size() < MAX_PENDING_ICE && pendingCandidates < MAX_PENDING_CANDIDATES) {
                pendingIce.add(ice);
                pendingCandidates += ice.candidates().size();
            }
            return;
        }
        remoteIce(ice);
    }

    /**
     * The path takes the first credentials it is given (with their candidates); every candidate
     * also goes in on its own, so that those of a later description are not lost (the agent
     * ignores one it knows).
     */
    private void remoteIce(IceParameters ice) {
        if (ice == null) {
            return;
        }
        if (ice.ufrag() != null && ice.pwd() != null) {
            path.remoteIce(ice);
        }
        for (IceCandidate c : ice.candidates()) {
            path.remoteCandidate(c);
        }
    }

    private void startPath(Negotiated n) {
        remoteIce(n.remoteIce());
        path.start(n);
    }

    @Override
    public void onInfo(Signaller.Info info) {
        if (state != LegState.ENDED) {
            call.legInfo(this, info);
        }
    }

    @Override
    public void onEnded(CallEnd end) {
        end(end, false, Signaller.Cause.AS_ENDED);
    }

    // ------------------------------------------------------------------ the end

    /** Ends the leg; {@code notifyPeer} has the signaller send what its protocol wants. */
    void end(CallEnd end, boolean notifyPeer, Signaller.Cause cause) {
        if (state == LegState.ENDED) {
            return;
        }
        if (notifyPeer) {
            signaller.hangup(end, cause);
        }
        go(LegState.ENDED);
        cancel(ringTimer);
        cancel(answerTimer);
        cancel(setupTimer);
        signaller.close();
        call.legEnded(this, end);
    }

    /** Closes the media path (after the call detached its audio); completes when it is closed. */
    CompletionStage<Void> closeMedia() {
        MediaPath p = path;
        return p == null ? CompletableFuture.completedFuture(null) : p.closeAsync();
    }

    private void go(LegState to) {
        state = state.go(to);
    }

    private void trace(String what) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("call {} ({}): {} at {} ms", call.id(), incoming ? "in" : "out", what,
                    (System.nanoTime() - createdNanos) / 1_000_000);
        }
    }

    /** A timer whose task runs on serial; none when the engine is stopping (then nothing is due). */
    private ScheduledFuture<?> schedule(Duration d, Runnable r) {
        if (res.group().isShuttingDown()) {
            return null;
        }
        return res.group().schedule(() -> serial.execute(r), d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
