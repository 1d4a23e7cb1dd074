package org.openzoep.internal.call;

import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.CallFailure;
import org.openzoep.CallState;
import org.openzoep.CallStats;
import org.openzoep.media.codec.AudioDecoder;
import org.openzoep.media.codec.AudioEncoder;
import org.openzoep.media.codec.ResampledDecoder;
import org.openzoep.media.codec.ResampledEncoder;
import org.openzoep.media.codec.g711.G711;
import org.openzoep.media.codec.g711.G711Decoder;
import org.openzoep.media.codec.g711.G711Encoder;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.device.wav.WavSink;
import org.openzoep.media.device.wav.WavSource;
import org.openzoep.media.ice.IceAgent;
import org.openzoep.media.ice.IceCandidate;
import org.openzoep.media.quality.StreamStats;
import org.openzoep.media.session.Conference;
import org.openzoep.media.session.MediaSession;
import org.openzoep.media.srtp.DtlsRole;
import org.openzoep.media.srtp.SrtpHandshakeException;
import org.openzoep.media.srtp.SrtpTransport;
import org.openzoep.xmpp.disco.ExternalServices;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Candidate;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Fingerprint;
import org.openzoep.xmpp.jingle.IceUdpTransport;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.jingle.PayloadType;
import org.openzoep.xmpp.jingle.Reason;
import org.openzoep.xmpp.jingle.RtpDescription;
import org.openzoep.xmpp.jingle.SessionInfo;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's signalling and media: the state machine of XEP-0353 (propose, ringing, proceed,
 * reject, retract) and XEP-0166 (session-initiate/accept/info/terminate, transport-info), with
 * the ICE agent, the DTLS-SRTP handshake, the media session and the call's {@link Conference}.
 *
 * <p>Roles: the caller is the Jingle initiator, the ICE controlling agent and offers
 * {@code setup='actpass'}; the callee answers {@code active} and is the DTLS client. Media is
 * accepted only after ICE has chosen a pair and DTLS has checked the peer's certificate against the
 * signalled fingerprint; an offer or answer without a fingerprint is refused.
 *
 * <p>Thread: confined to the account's serial executor; ICE, DTLS and timer callbacks hop onto it.
 * The public methods ({@link #answer} and so on) may be called from any thread.
 */
public final class CallSession implements Call {
    private static final Logger LOG = LoggerFactory.getLogger(CallSession.class);
    private static final String CONTENT = "voice";
    private static final int FRAME_SAMPLES = 960;
    private static final Duration DTLS_TIMEOUT = Duration.ofSeconds(10);

    private final CallRegistry manager;
    private final CallHost account;
    private final CallResources res;
    private final Executor serial;
    private final String id;
    private final boolean incoming;
    private final CallAudio audio;
    private final CompletableFuture<CallEnd> ended = new CompletableFuture<>();
    private final long createdNanos = System.nanoTime();

    private volatile Jid peer;
    private volatile CallState state;
    private volatile boolean muted;
    private volatile boolean held;
    private volatile boolean remoteMuted;
    private volatile boolean remoteHeld;

    // serial
    private boolean viaMessage;
    private boolean signalled;
    private Jingle offer;
    private IceAgent ice;
    private boolean iceFailed;
    private final List<Candidate> remoteQueue = new ArrayList<>();
    private String remoteUfrag;
    private String remotePwd;
    private Fingerprint remoteFingerprint;
    private DtlsRole dtlsRole;
    private boolean initiatePending;
    private boolean offerPending;
    private PayloadType audioPt;
    private PayloadType dtmfPt;
    private ScheduledFuture<?> ringTimer;
    private ScheduledFuture<?> answerTimer;
    private ScheduledFuture<?> setupTimer;
    private volatile SrtpTransport srtp;
    private volatile MediaSession media;
    private volatile CallStats finalStats;
    private volatile String localType;
    private volatile String remoteType;
    private AudioEncoder encoder;
    private AudioDecoder decoder;
    private AudioClock.Port port;
    private DeviceAudio device;
    private WavSink recording;

    CallSession(CallRegistry manager, String id, Jid peer, boolean incoming, CallAudio audio) {
        this.manager = manager;
        this.account = manager.account();
        this.res = manager.resources();
        this.serial = account.serial();
        this.id = id;
        this.peer = peer;
        this.incoming = incoming;
        this.audio = audio;
        this.state = incoming ? CallState.RINGING : CallState.CALLING;
    }

    // ------------------------------------------------------------------ any thread

    public String id() {
        return id;
    }

    public Jid peer() {
        return peer;
    }

    public boolean incoming() {
        return incoming;
    }

    public CallState state() {
        return state;
    }

    public boolean muted() {
        return muted;
    }

    public boolean held() {
        return held;
    }

    public boolean remoteMuted() {
        return remoteMuted;
    }

    public boolean remoteHeld() {
        return remoteHeld;
    }

    public CompletionStage<CallEnd> ended() {
        return ended;
    }

    public CompletionStage<Void> answer() {
        CompletableFuture<Void> r = new CompletableFuture<>();
        serial.execute(() -> {
            if (!incoming || state != CallState.RINGING) {
                r.completeExceptionally(new CallFailure(CallEnd.Reason.BAD_REQUEST,
                        "only a ringing incoming call can be answered (" + state + ")"));
                return;
            }
            answerNow();
            r.complete(null);
        });
        return r;
    }

    public CompletionStage<Void> hangup() {
        CompletableFuture<Void> r = new CompletableFuture<>();
        serial.execute(() -> {
            end(new CallEnd(CallEnd.Reason.HANGUP, incoming && state == CallState.RINGING ? "declined"
                    : "hung up"), true);
            r.complete(null);
        });
        return r;
    }

    public void mute(boolean on) {
        serial.execute(() -> {
            if (muted == on || state == CallState.ENDED) {
                return;
            }
            muted = on;
            Conference c = conference();
            if (c != null) {
                c.mute(on);
            }
            if (signalled) {
                sendInfo(new SessionInfo(on ? SessionInfo.Kind.MUTE : SessionInfo.Kind.UNMUTE, "initiator", CONTENT));
            }
        });
    }

    public void hold(boolean on) {
        serial.execute(() -> {
            if (held == on || state == CallState.ENDED) {
                return;
            }
            held = on;
            Conference c = conference();
            if (c != null) {
                c.hold(on);
            }
            if (signalled) {
                sendInfo(SessionInfo.of(on ? SessionInfo.Kind.HOLD : SessionInfo.Kind.ACTIVE));
            }
        });
    }

    public void sendDtmf(String digits) {
        serial.execute(() -> {
            MediaSession m = media;
            if (m == null) {
                return;
            }
            long delay = 0;
            for (char d : digits.toCharArray()) {
                int event = dtmfEvent(d);
                if (event < 0) {
                    continue;
                }
                m.transport().eventLoop().schedule(() -> m.sendDtmf(event, 120), delay, TimeUnit.MILLISECONDS);
                delay += 200;
            }
        });
    }

    static int dtmfEvent(char d) {
        if (d >= '0' && d <= '9') {
            return d - '0';
        }
        return switch (Character.toUpperCase(d)) {
            case '*' -> 10;
            case '#' -> 11;
            case 'A' -> 12;
            case 'B' -> 13;
            case 'C' -> 14;
            case 'D' -> 15;
            default -> -1;
        };
    }

    static char dtmfDigit(int event) {
        return "0123456789*#ABCD".charAt(Math.max(0, Math.min(15, event)));
    }

    /** Live while media flows; after the end, the figures as they were when the call ended. */
    public CallStats stats() {
        MediaSession m = media;
        SrtpTransport t = srtp;
        if (m == null) {
            CallStats last = finalStats;
            return last != null ? last : CallStats.NONE;
        }
        StreamStats s = m.stats();
        PayloadType pt = audioPt;
        String codec = pt == null ? null : pt.name() + "/" + pt.clockRate() + (pt.channels() > 1 ? "/" + pt.channels() : "");
        return new CallStats(codec, s.packetsReceived(), s.packetsLost(), s.jitterMs(), s.effectiveLossPercent(),
                s.rttMs(), s.mos(), t == null ? 0 : t.authFailures(), t == null ? 0 : t.replayed(), localType,
                remoteType);
    }

    /** The transport's counters, for tests and tools (null before media). */
    SrtpTransport srtp() {
        return srtp;
    }

    /** The local ICE candidates' addresses and the selected pair are in here (null before ICE starts). */
    IceAgent iceAgent() {
        return ice;
    }

    // ------------------------------------------------------------------ outgoing

    void startOutgoing() {
        viaMessage = true;
        send(JingleMessage.proposeAudio(id).toMessage(peer, id));
        ringTimer = schedule(res.settings().ringTimeout(), () -> {
            if (state == CallState.CALLING) {
                end(new CallEnd(CallEnd.Reason.OFFLINE, peer + " did not ring: no device is online to take the call"),
                        true);
            }
        });
        answerTimer = schedule(res.settings().answerTimeout(), () -> {
            if (state == CallState.CALLING || state == CallState.RINGING) {
                end(new CallEnd(CallEnd.Reason.NO_ANSWER, "no answer within "
                        + res.settings().answerTimeout().toSeconds() + " s"), true);
            }
        });
        startIce(true);
    }

    void onProposeError(StanzaError error) {
        if (state != CallState.CALLING && state != CallState.RINGING) {
            return;
        }
        String c = error == null ? "" : error.condition();
        String text = error != null && error.text() != null ? ": " + error.text() : "";
        if ("item-not-found".equals(c) || "remote-server-not-found".equals(c)) {
            end(new CallEnd(CallEnd.Reason.UNKNOWN_USER, peer + " cannot be reached (" + c + ")" + text), false);
        } else {
            // Prosody answers service-unavailable both for an offline account and for an unknown one
            end(new CallEnd(CallEnd.Reason.OFFLINE, peer + " is offline or unknown (" + c + ")" + text), false);
        }
    }

    void onJingleMessage(Jid from, JingleMessage msg) {
        switch (msg.kind()) {
            case RINGING -> {
                if (!incoming && state == CallState.CALLING) {
                    trace("ringing");
                    cancel(ringTimer);
                    state = CallState.RINGING;
                    manager.emit(this, CallEvent.of(CallEvent.Kind.RINGING));
                }
            }
            case PROCEED -> {
                if (!incoming && (state == CallState.CALLING || state == CallState.RINGING)) {
                    trace("proceed");
                    peer = from;
                    cancel(ringTimer);
                    cancel(answerTimer);
                    state = CallState.CONNECTING;
                    setupTimer = schedule(res.settings().setupTimeout(), this::setupTimedOut);
                    initiatePending = true;
                    sendInitiateIfReady();
                }
            }
            case REJECT -> {
                if (!incoming && (state == CallState.CALLING || state == CallState.RINGING)) {
                    boolean busy = msg.reason() != null && msg.reason().condition() == Reason.Condition.BUSY;
                    end(new CallEnd(busy ? CallEnd.Reason.BUSY : CallEnd.Reason.DECLINED,
                            reasonText(msg.reason(), busy ? peer + " is busy" : peer + " declined the call")), false);
                }
            }
            case RETRACT -> {
                if (incoming && state == CallState.RINGING) {
                    end(new CallEnd(CallEnd.Reason.CANCELLED, reasonText(msg.reason(), "the caller hung up")), false);
                }
            }
            case FINISH -> {
                if (state != CallState.ENDED && !signalled) {
                    end(new CallEnd(CallEnd.Reason.REMOTE_HANGUP, reasonText(msg.reason(), "the call was finished")),
                            false);
                }
            }
            default -> {
                // PROPOSE is handled by the manager; ACCEPT only comes from our own devices
            }
        }
    }

    private void sendInitiateIfReady() {
        if (!initiatePending || ice == null || state == CallState.ENDED) {
            return;
        }
        initiatePending = false;
        signalled = true;
        Jingle initiate = new Jingle(Action.SESSION_INITIATE, id, account.jid(), null,
                List.of(new Content("initiator", CONTENT, "both", offerDescription(), localTransport("actpass", true))),
                null, null);
        request(initiate, "session-initiate");
    }

    private RtpDescription offerDescription() {
        List<PayloadType> pts = new ArrayList<>();
        for (AccountSettings.Codec c : account.currentSettings().codecs()) {
            if (c.name().equalsIgnoreCase("opus")) {
                pts.add(new PayloadType(111, "opus", 48000, 2, Map.of("useinbandfec", "1", "minptime", "10")));
            } else if (c.name().equalsIgnoreCase("pcmu")) {
                pts.add(new PayloadType(0, "PCMU", 8000, 1, Map.of()));
            } else if (c.name().equalsIgnoreCase("pcma")) {
                pts.add(new PayloadType(8, "PCMA", 8000, 1, Map.of()));
            }
        }
        pts.add(new PayloadType(101, "telephone-event", 48000, 1, Map.of("events", "0-15")));
        pts.add(new PayloadType(126, "telephone-event", 8000, 1, Map.of("events", "0-15")));
        return new RtpDescription("audio", null, pts, true);
    }

    // ------------------------------------------------------------------ incoming

    void startIncoming() {
        viaMessage = true;
        send(JingleMessage.of(JingleMessage.Kind.RINGING, id, null).toMessage(peer));
        answerTimer = schedule(res.settings().answerTimeout().plusSeconds(15), () -> {
            if (state == CallState.RINGING) {
                end(new CallEnd(CallEnd.Reason.CANCELLED, "the caller stopped calling"), true);
            }
        });
        manager.emit(this, CallEvent.of(CallEvent.Kind.INCOMING));
    }

    void startIncomingJingle(Stanza iq, Jingle initiate) {
        viaMessage = false;
        signalled = true;
        offer = initiate;
        send(iq.result());
        sendInfo(SessionInfo.of(SessionInfo.Kind.RINGING));
        answerTimer = schedule(res.settings().answerTimeout().plusSeconds(15), () -> {
            if (state == CallState.RINGING) {
                end(new CallEnd(CallEnd.Reason.CANCELLED, "the caller stopped calling"), true);
            }
        });
        manager.emit(this, CallEvent.of(CallEvent.Kind.INCOMING));
    }

    void onOtherDevice(JingleMessage msg) {
        if (state != CallState.RINGING) {
            return;
        }
        switch (msg.kind()) {
            case ACCEPT, PROCEED -> end(new CallEnd(CallEnd.Reason.ANSWERED_ELSEWHERE,
                    "answered on another device"), false);
            case REJECT -> end(new CallEnd(CallEnd.Reason.ANSWERED_ELSEWHERE, "declined on another device"), false);
            default -> {
            }
        }
    }

    private void answerNow() {
        cancel(answerTimer);
        state = CallState.CONNECTING;
        setupTimer = schedule(res.settings().setupTimeout(), this::setupTimedOut);
        if (viaMessage) {
            send(JingleMessage.of(JingleMessage.Kind.PROCEED, id, null).toMessage(peer));
            // the other devices of this account stop ringing
            send(JingleMessage.of(JingleMessage.Kind.ACCEPT, id, null).toMessage(account.jid().bare()));
        } else {
            offerPending = true;
        }
        startIce(false);
    }

    /** The callee's side of the offer: check it, answer it, start ICE with it. */
    private void acceptOfferIfReady() {
        if (!offerPending || ice == null || state == CallState.ENDED) {
            return;
        }
        offerPending = false;
        Content c = audioContent(offer);
        if (c == null || c.transport() == null) {
            terminate(Reason.Condition.UNSUPPORTED_APPLICATIONS, new CallEnd(CallEnd.Reason.NO_COMMON_CODEC,
                    "the offer has no audio over ICE-UDP"));
            return;
        }
        if (c.transport().fingerprint() == null) {
            terminate(Reason.Condition.SECURITY_ERROR, new CallEnd(CallEnd.Reason.INSECURE,
                    "the offer has no DTLS fingerprint; unencrypted media is refused"));
            return;
        }
        PayloadType chosen = negotiate(c.description().payloadTypes());
        if (chosen == null) {
            terminate(Reason.Condition.FAILED_APPLICATION, new CallEnd(CallEnd.Reason.NO_COMMON_CODEC,
                    "no common codec: offered " + names(c.description().payloadTypes())));
            return;
        }
        audioPt = chosen;
        dtmfPt = telephoneEvent(c.description().payloadTypes(), chosen.clockRate());
        remoteFingerprint = c.transport().fingerprint();
        dtlsRole = "active".equals(remoteFingerprint.setup()) ? DtlsRole.SERVER : DtlsRole.CLIENT;
        signalled = true;
        List<PayloadType> answer = new ArrayList<>();
        answer.add(chosen);
        if (dtmfPt != null) {
            answer.add(dtmfPt);
        }
        Jingle accept = new Jingle(Action.SESSION_ACCEPT, id, offer.initiator(), account.jid(),
                List.of(new Content(c.creator(), c.name(), c.senders(), new RtpDescription("audio", null, answer, true),
                        localTransport(dtlsRole == DtlsRole.CLIENT ? "active" : "passive", true))),
                null, null);
        request(accept, "session-accept");
        remoteTransport(c.transport());
    }

    /** The first offered codec (the offerer's order) that this account allows. */
    private PayloadType negotiate(List<PayloadType> offered) {
        List<String> allowed = new ArrayList<>();
        for (AccountSettings.Codec c : account.currentSettings().codecs()) {
            allowed.add(c.name().toLowerCase(java.util.Locale.ROOT));
        }
        for (PayloadType p : offered) {
            String n = p.name() == null ? "" : p.name().toLowerCase(java.util.Locale.ROOT);
            if (n.equals("opus") && p.clockRate() == 48000 && allowed.contains("opus")) {
                return p;
            }
            if ((n.equals("pcmu") || (n.isEmpty() && p.id() == 0)) && allowed.contains("pcmu")) {
                return new PayloadType(p.id(), "PCMU", 8000, 1, Map.of());
            }
            if ((n.equals("pcma") || (n.isEmpty() && p.id() == 8)) && allowed.contains("pcma")) {
                return new PayloadType(p.id(), "PCMA", 8000, 1, Map.of());
            }
        }
        return null;
    }

    private static PayloadType telephoneEvent(List<PayloadType> pts, int clockRate) {
        for (PayloadType p : pts) {
            if ("telephone-event".equalsIgnoreCase(p.name()) && p.clockRate() == clockRate) {
                return p;
            }
        }
        return null;
    }

    private static String names(List<PayloadType> pts) {
        StringBuilder sb = new StringBuilder();
        for (PayloadType p : pts) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.name()).append('/').append(p.clockRate());
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }

    private static Content audioContent(Jingle j) {
        for (Content c : j.contents()) {
            if (c.description() != null && "audio".equals(c.description().media())) {
                return c;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ Jingle iqs

    boolean acceptsFrom(Jid from) {
        Jid p = peer;
        return from.equals(p) || (p.isBare() && from.bare().equals(p));
    }

    void onJingle(Stanza iq, Jingle j) {
        switch (j.action()) {
            case SESSION_INITIATE -> {
                if (!incoming || offer != null) {
                    replyError(iq, StanzaError.of("cancel", "bad-request", "session already initiated")
                            .withAppCondition(XmlElement.of("out-of-order", JingleNamespaces.ERRORS)));
                    return;
                }
                send(iq.result());
                offer = j;
                offerPending = true;
                acceptOfferIfReady();
            }
            case SESSION_ACCEPT -> {
                if (incoming || state != CallState.CONNECTING || !signalled || remoteFingerprint != null) {
                    replyError(iq, StanzaError.of("cancel", "unexpected-request", "no session-accept expected")
                            .withAppCondition(XmlElement.of("out-of-order", JingleNamespaces.ERRORS)));
                    return;
                }
                send(iq.result());
                Content c = audioContent(j);
                if (c == null || c.transport() == null || c.description().payloadTypes().isEmpty()) {
                    terminate(Reason.Condition.FAILED_APPLICATION, new CallEnd(CallEnd.Reason.NO_COMMON_CODEC,
                            "the answer has no audio codec"));
                    return;
                }
                if (c.transport().fingerprint() == null) {
                    terminate(Reason.Condition.SECURITY_ERROR, new CallEnd(CallEnd.Reason.INSECURE,
                            "the answer has no DTLS fingerprint; unencrypted media is refused"));
                    return;
                }
                PayloadType chosen = negotiate(c.description().payloadTypes());
                if (chosen == null) {
                    terminate(Reason.Condition.FAILED_APPLICATION, new CallEnd(CallEnd.Reason.NO_COMMON_CODEC,
                            "the answer chose " + names(c.description().payloadTypes())));
                    return;
                }
                audioPt = chosen;
                dtmfPt = telephoneEvent(c.description().payloadTypes(), chosen.clockRate());
                remoteFingerprint = c.transport().fingerprint();
                dtlsRole = "passive".equals(remoteFingerprint.setup()) ? DtlsRole.CLIENT : DtlsRole.SERVER;
                remoteTransport(c.transport());
            }
            case TRANSPORT_INFO -> {
                send(iq.result());
                for (Content c : j.contents()) {
                    if (c.transport() != null) {
                        remoteTransport(c.transport());
                    }
                }
            }
            case SESSION_INFO -> onSessionInfo(iq, j);
            case SESSION_TERMINATE -> {
                send(iq.result());
                end(fromReason(j.reason()), false);
            }
            default -> replyError(iq, StanzaError.of("cancel", "feature-not-implemented",
                    j.action().wireName() + " is not supported"));
        }
    }

    private void onSessionInfo(Stanza iq, Jingle j) {
        SessionInfo info = j.info();
        if (info == null) {
            send(iq.result()); // an empty session-info is a ping
            return;
        }
        send(iq.result());
        switch (info.kind()) {
            case RINGING -> {
                if (!incoming && state == CallState.CALLING) {
                    cancel(ringTimer);
                    state = CallState.RINGING;
                    manager.emit(this, CallEvent.of(CallEvent.Kind.RINGING));
                }
            }
            case HOLD, ACTIVE, UNHOLD -> {
                boolean h = info.kind() == SessionInfo.Kind.HOLD;
                if (remoteHeld != h) {
                    remoteHeld = h;
                    manager.emit(this, CallEvent.of(CallEvent.Kind.REMOTE_HOLD));
                }
            }
            case MUTE, UNMUTE -> {
                boolean m = info.kind() == SessionInfo.Kind.MUTE;
                if (remoteMuted != m) {
                    remoteMuted = m;
                    manager.emit(this, CallEvent.of(CallEvent.Kind.REMOTE_MUTE));
                }
            }
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
            case CANCEL -> new CallEnd(state == CallState.RINGING ? CallEnd.Reason.CANCELLED
                    : CallEnd.Reason.REMOTE_HANGUP, reasonText(r, who + " cancelled the call"));
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

    // ------------------------------------------------------------------ ICE

    private void startIce(boolean controlling) {
        manager.externalServices().whenCompleteAsync((services, err) -> {
            if (state == CallState.ENDED) {
                return;
            }
            List<InetSocketAddress> stun = stunServers(services == null ? List.of() : services);
            IceAgent.Builder b = IceAgent.builder(res.group())
                    .channelType(res.channelType())
                    .controlling(controlling)
                    .hostCandidates(res.settings().hostCandidates())
                    .stunServers(stun)
                    .listener(new IceEvents());
            if (!res.settings().mediaAddresses().isEmpty()) {
                b.hostAddresses(res.settings().mediaAddresses());
            }
            b.start().whenCompleteAsync(this::iceStarted, serial);
        }, serial);
    }

    private void iceStarted(IceAgent agent, Throwable err) {
        if (err != null) {
            end(new CallEnd(CallEnd.Reason.ICE_FAILED, "cannot open a media socket: " + err.getMessage()), true);
            return;
        }
        if (state == CallState.ENDED) {
            agent.closeAsync();
            return;
        }
        ice = agent;
        trace("ICE agent started");
        if (remoteUfrag != null) {
            agent.remoteCredentials(remoteUfrag, remotePwd);
        }
        for (Candidate c : remoteQueue) {
            addRemote(c);
        }
        remoteQueue.clear();
        sendInitiateIfReady();
        acceptOfferIfReady();
    }

    /** The configured STUN servers, then those the server announced (XEP-0215). */
    private List<InetSocketAddress> stunServers(List<ExternalServices.Service> announced) {
        List<InetSocketAddress> out = new ArrayList<>();
        List<String[]> all = new ArrayList<>();
        for (AccountSettings.IceServer s : account.currentSettings().stunServers()) {
            all.add(new String[] {s.host(), Integer.toString(s.port() > 0 ? s.port() : 3478)});
        }
        for (ExternalServices.Service s : announced) {
            if ("stun".equals(s.type()) && (s.transport() == null || "udp".equals(s.transport()))) {
                all.add(new String[] {s.host(), Integer.toString(s.port() > 0 ? s.port() : 3478)});
            }
        }
        for (String[] hp : all) {
            try {
                // servers are usually literals; a name is looked up here, on the API thread
                InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
                if (!out.contains(a)) {
                    out.add(a);
                }
            } catch (IOException e) {
                LOG.debug("STUN server {} not resolved", hp[0], e);
            }
        }
        return out;
    }

    private IceUdpTransport localTransport(String setup, boolean withCandidates) {
        List<Candidate> cs = new ArrayList<>();
        if (withCandidates) {
            for (IceCandidate c : ice.localCandidates()) {
                cs.add(toJingle(c));
            }
        }
        return new IceUdpTransport(ice.localUfrag(), ice.localPassword(),
                new Fingerprint(res.certificate().hashFunction(), setup, res.certificate().fingerprint()), cs);
    }

    private void remoteTransport(IceUdpTransport t) {
        if (t.ufrag() != null && t.pwd() != null && remoteUfrag == null) {
            remoteUfrag = t.ufrag();
            remotePwd = t.pwd();
            if (ice != null) {
                ice.remoteCredentials(remoteUfrag, remotePwd);
            }
        }
        for (Candidate c : t.candidates()) {
            if (ice == null) {
                remoteQueue.add(c);
            } else {
                addRemote(c);
            }
        }
    }

    private void addRemote(Candidate c) {
        if (!"udp".equalsIgnoreCase(c.protocol()) || c.component() != 1) {
            return;
        }
        try {
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName(c.ip()), c.port());
            InetSocketAddress rel = c.relAddr() == null || c.relPort() == null ? null
                    : new InetSocketAddress(InetAddress.getByName(c.relAddr()), c.relPort());
            ice.addRemoteCandidate(new IceCandidate(c.foundation(), c.component(), "udp", c.priority(), addr,
                    IceCandidate.Type.of(c.type()), rel, c.generation()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("remote candidate {} ignored", c, e);
        }
    }

    private static Candidate toJingle(IceCandidate c) {
        InetSocketAddress rel = c.related();
        return new Candidate(c.component(), c.foundation(), c.generation(),
                Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()), c.address().getAddress().getHostAddress(), 0,
                c.address().getPort(), c.priority(), "udp", c.type().wireName(),
                rel == null ? null : rel.getAddress().getHostAddress(), rel == null ? null : rel.getPort());
    }

    private final class IceEvents implements IceAgent.Listener {
        @Override
        public void onLocalCandidate(IceCandidate c) {
            serial.execute(() -> {
                if (signalled && state != CallState.ENDED && ice != null) {
                    Jingle info = new Jingle(Action.TRANSPORT_INFO, id, incoming ? null : account.jid(), null,
                            List.of(new Content("initiator", CONTENT, null, null,
                                    new IceUdpTransport(ice.localUfrag(), ice.localPassword(), null,
                                            List.of(toJingle(c))))), null, null);
                    request(info, "transport-info");
                }
            });
        }

        @Override
        public void onGatheringComplete() {
        }

        @Override
        public void onConnected(IceCandidate local, IceCandidate remote) {
            serial.execute(() -> {
                trace("ICE connected");
                localType = local.type().wireName();
                remoteType = remote.type().wireName();
                startDtls();
            });
        }

        @Override
        public void onFailed(String reason) {
            serial.execute(() -> {
                iceFailed = true;
                terminate(Reason.Condition.CONNECTIVITY_ERROR, new CallEnd(CallEnd.Reason.ICE_FAILED,
                        "no network path to " + peer + ": " + reason));
            });
        }

        @Override
        public void onConsentLost() {
            serial.execute(() -> terminate(Reason.Condition.CONNECTIVITY_ERROR, new CallEnd(CallEnd.Reason.MEDIA_LOST,
                    "media from " + peer + " stopped (ICE consent lost)")));
        }
    }

    // ------------------------------------------------------------------ DTLS and media

    private void startDtls() {
        if (state == CallState.ENDED || srtp != null || remoteFingerprint == null) {
            return;
        }
        CompletionStage<SrtpTransport> handshake;
        try {
            handshake = SrtpTransport.handshake(ice, dtlsRole, res.certificate(), remoteFingerprint.hash(),
                    remoteFingerprint.value(), res.dtlsExecutor(), DTLS_TIMEOUT);
        } catch (RejectedExecutionException e) {
            handshake = CompletableFuture.failedFuture(e);
        }
        handshake.whenCompleteAsync((t, err) -> {
                    if (err != null) {
                        Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                        String why = c instanceof SrtpHandshakeException h ? h.reason() + ": " + h.getMessage()
                                : c instanceof RejectedExecutionException ? "too many DTLS handshakes in progress (at most "
                                        + res.settings().dtlsThreads() + ")" : String.valueOf(c.getMessage());
                        terminate(Reason.Condition.SECURITY_ERROR, new CallEnd(CallEnd.Reason.DTLS_FAILED,
                                "DTLS-SRTP with " + peer + " failed: " + why));
                        return;
                    }
                    if (state == CallState.ENDED) {
                        t.closeAsync();
                        return;
                    }
                    srtp = t;
                    trace("DTLS-SRTP keyed");
                    startMedia(t);
                }, serial);
    }

    private void startMedia(SrtpTransport t) {
        try {
            boolean opus = "opus".equalsIgnoreCase(audioPt.name());
            AccountSettings.Codec cfg = codecSettings(audioPt.name());
            if (opus) {
                OpusEncoder.Builder eb = OpusEncoder.builder().sampleRate(48000).frameMillis(20);
                if (cfg != null && cfg.complexity() != null) {
                    eb.complexity(cfg.complexity());
                }
                if (cfg != null && cfg.bitrate() != null) {
                    eb.bitrate(cfg.bitrate());
                }
                if (cfg != null && cfg.dtx() != null) {
                    eb.dtx(cfg.dtx());
                }
                encoder = eb.build();
                decoder = new OpusDecoder(48000);
            } else {
                G711.Law law = "PCMA".equalsIgnoreCase(audioPt.name()) ? G711.Law.PCMA : G711.Law.PCMU;
                encoder = new ResampledEncoder(new G711Encoder(law, 20), 48000);
                decoder = new ResampledDecoder(new G711Decoder(law), 48000, 480);
            }
            boolean fec = opus && (cfg == null || cfg.fec() == null || cfg.fec());
            MediaSession.builder(t, encoder, decoder)
                    .payloadType(audioPt.id())
                    .telephoneEventPayloadType(dtmfPt != null ? dtmfPt.id() : 101)
                    .fec(fec)
                    .cname(account.jid() + "/" + id)
                    .dtmfListener((event, ticks) -> serial.execute(() -> {
                        if (state != CallState.ENDED) {
                            manager.emit(this, new CallEvent(CallEvent.Kind.DTMF, null, dtmfDigit(event)));
                        }
                    }))
                    .start()
                    .whenCompleteAsync((m, err) -> {
                        if (err != null) {
                            terminate(Reason.Condition.MEDIA_ERROR, new CallEnd(CallEnd.Reason.FAILED,
                                    "media could not start: " + err.getMessage()));
                            return;
                        }
                        media = m;
                        if (state == CallState.ENDED) {
                            release();
                            return;
                        }
                        connectAudio(m);
                    }, serial);
        } catch (RuntimeException e) {
            LOG.debug("media start failed", e);
            terminate(Reason.Condition.MEDIA_ERROR, new CallEnd(CallEnd.Reason.FAILED, "media could not start: "
                    + e.getMessage()));
        }
    }

    private AccountSettings.Codec codecSettings(String name) {
        for (AccountSettings.Codec c : account.currentSettings().codecs()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    private void connectAudio(MediaSession m) {
        Conference conf = new Conference(2, FRAME_SAMPLES);
        conf.mute(muted);
        conf.hold(held);
        conf.add(m);
        try {
            switch (audio.kind()) {
                case DEVICE -> {
                    device = DeviceAudio.open(audio.captureDevice(), audio.playbackDevice(), conf);
                }
                case FILES -> {
                    AudioSource src = audio.captureFile() == null ? null : WavSource.open(audio.captureFile(), false);
                    recording = audio.playbackFile() == null ? null : WavSink.create(audio.playbackFile());
                    port = new AudioClock.Port(conf, src, recording);
                }
                case CUSTOM -> port = new AudioClock.Port(conf, audio.source(), audio.sink());
                case SILENCE -> port = new AudioClock.Port(conf, null, null);
            }
        } catch (IOException | RuntimeException e) {
            terminate(Reason.Condition.MEDIA_ERROR, new CallEnd(CallEnd.Reason.FAILED, "audio " + audio
                    + " cannot be opened: " + e.getMessage()));
            return;
        }
        if (port != null) {
            res.clock().attach(port);
        }
        cancel(setupTimer);
        trace("joined");
        state = CallState.ACTIVE;
        manager.emit(this, CallEvent.of(CallEvent.Kind.JOINED));
    }

    private Conference conference() {
        AudioClock.Port p = port;
        if (p != null) {
            return p.conference;
        }
        DeviceAudio d = device;
        return d == null ? null : d.conference();
    }

    private void setupTimedOut() {
        if (state == CallState.CONNECTING) {
            terminate(Reason.Condition.CONNECTIVITY_ERROR, new CallEnd(srtp == null && !iceFailed && ice != null
                    && localType == null ? CallEnd.Reason.ICE_FAILED : CallEnd.Reason.DTLS_FAILED,
                    "the call did not connect within " + res.settings().setupTimeout().toSeconds() + " s"));
        }
    }

    // ------------------------------------------------------------------ the end

    /** Ends with a Jingle session-terminate carrying {@code condition} (or the JMI equivalent). */
    private void terminate(Reason.Condition condition, CallEnd end) {
        if (state == CallState.ENDED) {
            return;
        }
        sendEnd(condition, end.text());
        finish(end);
    }

    /** Ends the call; {@code notifyPeer} sends what the protocol wants for this state and reason. */
    void end(CallEnd e, boolean notifyPeer) {
        if (state == CallState.ENDED) {
            return;
        }
        if (notifyPeer) {
            sendEnd(condition(e.reason()), e.text());
        }
        finish(e);
    }

    void failEarly(CallEnd e) {
        state = CallState.ENDED;
        ended.complete(e);
        manager.emit(this, new CallEvent(CallEvent.Kind.ENDED, e, (char) 0));
    }

    private static Reason.Condition condition(CallEnd.Reason r) {
        return switch (r) {
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
    }

    private void sendEnd(Reason.Condition condition, String text) {
        if (!account.isOnline()) {
            return;
        }
        Reason reason = new Reason(condition, text);
        if (signalled) {
            Jingle t = new Jingle(Action.SESSION_TERMINATE, id, null, null, List.of(), reason, null);
            request(t, "session-terminate");
        } else if (!incoming && viaMessage) {
            send(JingleMessage.of(JingleMessage.Kind.RETRACT, id, reason).toMessage(peer));
        } else if (incoming && viaMessage) {
            if (state == CallState.RINGING) {
                Reason decline = new Reason(condition == Reason.Condition.SUCCESS ? Reason.Condition.DECLINE : condition,
                        text);
                send(JingleMessage.of(JingleMessage.Kind.REJECT, id, decline).toMessage(peer));
                // the other devices of this account stop ringing
                send(JingleMessage.of(JingleMessage.Kind.REJECT, id, decline).toMessage(account.jid().bare()));
            } else {
                Jingle t = new Jingle(Action.SESSION_TERMINATE, id, null, null, List.of(), reason, null);
                request(t, "session-terminate");
            }
        }
    }

    private void finish(CallEnd e) {
        state = CallState.ENDED;
        cancel(ringTimer);
        cancel(answerTimer);
        cancel(setupTimer);
        release();
        manager.forget(this);
        ended.complete(e);
        manager.emit(this, new CallEvent(CallEvent.Kind.ENDED, e, (char) 0));
    }

    /**
     * Stops the audio (once the clock's detach returns, no audio thread touches the call), then
     * closes media, DTLS and ICE; the codecs and the recording are closed once the media path is
     * closed (the decoder serves the network side until then), on the DTLS pool, off the event
     * loop. The engine waits for these closes when it stops.
     */
    private void release() {
        AudioClock.Port p = port;
        port = null;
        if (p != null) {
            res.clock().detach(p);
        }
        DeviceAudio d = device;
        device = null;
        MediaSession m = media;
        if (m != null) {
            finalStats = stats();
        }
        media = null;
        AudioEncoder enc = encoder;
        AudioDecoder dec = decoder;
        WavSink rec = recording;
        encoder = null;
        decoder = null;
        recording = null;
        CompletableFuture<Void> closed;
        if (m != null) {
            closed = m.closeAsync().toCompletableFuture();
        } else if (srtp != null) {
            closed = srtp.closeAsync().toCompletableFuture();
        } else if (ice != null) {
            closed = ice.closeAsync().toCompletableFuture();
        } else {
            closed = CompletableFuture.completedFuture(null);
        }
        res.releasing(closed.whenCompleteAsync((v, err) -> {
            if (d != null) {
                d.close();
            }
            if (enc != null) {
                enc.close();
            }
            if (dec != null) {
                dec.close();
            }
            if (rec != null) {
                try {
                    rec.close();
                } catch (IOException ex) {
                    LOG.debug("recording not closed", ex);
                }
            }
        }, res.dtlsExecutor()));
    }

    private void trace(String what) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("call {} ({}): {} at {} ms", id, incoming ? "in" : "out", what,
                    (System.nanoTime() - createdNanos) / 1_000_000);
        }
    }

    // ------------------------------------------------------------------ sending

    private void send(Stanza s) {
        if (account.isOnline()) {
            account.online().send(s);
        }
    }

    private void sendInfo(SessionInfo info) {
        request(new Jingle(Action.SESSION_INFO, id, null, null, List.of(), null, info), "session-info");
    }

    private void request(Jingle j, String what) {
        if (!account.isOnline()) {
            return;
        }
        Stanza iq = Stanza.iq("set").to(peer).id(id + "-" + Long.toHexString(System.nanoTime())).child(j.toXml()).build();
        account.online().request(iq).whenCompleteAsync((r, err) -> {
            if (err != null && state != CallState.ENDED && j.action() != Action.SESSION_TERMINATE
                    && j.action() != Action.TRANSPORT_INFO && j.action() != Action.SESSION_INFO) {
                String why = err.getCause() != null ? err.getCause().getMessage() : err.getMessage();
                end(new CallEnd(CallEnd.Reason.FAILED, peer + " refused the " + what + ": " + why), false);
            }
        }, serial);
    }

    private void replyError(Stanza iq, StanzaError e) {
        send(iq.errorReply(e));
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
