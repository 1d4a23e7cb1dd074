package org.openzoep.internal.call;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.CallFailure;
import org.openzoep.CallState;
import org.openzoep.CallStats;
import org.openzoep.media.clock.FrameClock;
import org.openzoep.media.device.AudioSource;
import org.openzoep.media.device.wav.WavSink;
import org.openzoep.media.device.wav.WavSource;
import org.openzoep.media.path.PathStats;
import org.openzoep.media.quality.StreamStats;
import org.openzoep.media.session.Conference;
import org.openzoep.xmpp.stanza.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call: a {@link Conference} (one mixer, the local party) plus its {@link Leg}s (one remote leg
 * today; a conference adds more). The call owns the conference, attaches it to the engine's
 * {@link FrameClock} once the first leg's media flows, keeps the local hold/mute state and tells
 * the application what happens. It knows nothing of the signalling: its legs do.
 *
 * <p>Thread: the {@link Call} methods may be called from any thread and hop onto the account's
 * serial executor, to which all state is confined (the flags the getters read are volatile).
 */
final class DefaultCall implements Call {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultCall.class);
    /** Members of the conference: the local party's leg and a remote one today. */
    private static final int MAX_MEMBERS = 2;

    private final CallRegistry registry;
    private final CallResources res;
    private final Executor serial;
    private final String id;
    private final boolean incoming;
    private final CallAudio audio;
    private final Conference conference;
    private final CompletableFuture<CallEnd> ended = new CompletableFuture<>();
    private final List<Leg> legs = new ArrayList<>();

    private volatile Leg first;
    private volatile boolean over;
    private volatile boolean muted;
    private volatile boolean held;
    private volatile boolean remoteMuted;
    private volatile boolean remoteHeld;
    private volatile CallStats finalStats;
    private FrameClock.Attachment attachment;
    private WavSink recording;

    DefaultCall(CallRegistry registry, CallResources res, Executor serial, String id, boolean incoming,
            CallAudio audio) {
        this.registry = registry;
        this.res = res;
        this.serial = serial;
        this.id = id;
        this.incoming = incoming;
        this.audio = audio;
        this.conference = new Conference(MAX_MEMBERS, CallResources.frameSamples());
    }

    /** Adds a leg (the first one names the peer and the state). */
    void add(Leg leg) {
        legs.add(leg);
        if (first == null) {
            first = leg;
        }
    }

    Conference conference() {
        return conference;
    }

    // ------------------------------------------------------------------ Call, any thread

    @Override
    public String id() {
        return id;
    }

    @Override
    public Jid peer() {
        Leg l = first;
        return l == null ? null : l.peer();
    }

    @Override
    public boolean incoming() {
        return incoming;
    }

    @Override
    public CallState state() {
        Leg l = first;
        return over || l == null ? CallState.ENDED : l.state().callState();
    }

    @Override
    public boolean muted() {
        return muted;
    }

    @Override
    public boolean held() {
        return held;
    }

    @Override
    public boolean remoteMuted() {
        return remoteMuted;
    }

    @Override
    public boolean remoteHeld() {
        return remoteHeld;
    }

    @Override
    public CompletionStage<CallEnd> ended() {
        return ended;
    }

    @Override
    public CompletionStage<Void> answer() {
        CompletableFuture<Void> r = new CompletableFuture<>();
        serial.execute(() -> {
            Leg l = first;
            if (over || l == null || !l.answer()) {
                r.completeExceptionally(new CallFailure(CallEnd.Reason.BAD_REQUEST,
                        "only a ringing incoming call can be answered (" + state() + ")"));
                return;
            }
            r.complete(null);
        });
        return r;
    }

    @Override
    public CompletionStage<Void> hangup() {
        CompletableFuture<Void> r = new CompletableFuture<>();
        serial.execute(() -> {
            end(new CallEnd(CallEnd.Reason.HANGUP, incoming && state() == CallState.RINGING ? "declined" : "hung up"),
                    true);
            r.complete(null);
        });
        return r;
    }

    @Override
    public void mute(boolean on) {
        serial.execute(() -> {
            if (muted == on || over) {
                return;
            }
            muted = on;
            conference.mute(on);
            for (Leg l : legs) {
                l.info(on ? Signaller.Info.MUTE : Signaller.Info.UNMUTE);
            }
        });
    }

    @Override
    public void hold(boolean on) {
        serial.execute(() -> {
            if (held == on || over) {
                return;
            }
            held = on;
            conference.hold(on);
            for (Leg l : legs) {
                l.info(on ? Signaller.Info.HOLD : Signaller.Info.ACTIVE);
            }
        });
    }

    @Override
    public void sendDtmf(String digits) {
        serial.execute(() -> {
            Leg l = first;
            if (l == null || over) {
                return;
            }
            long delay = 0;
            for (char d : digits.toCharArray()) {
                int event = dtmfEvent(d);
                if (event < 0) {
                    continue;
                }
                if (delay == 0) {
                    l.sendDtmf(event, 120);
                } else if (!res.group().isShuttingDown()) {
                    res.group().schedule(() -> l.sendDtmf(event, 120), delay, TimeUnit.MILLISECONDS);
                }
                delay += 200;
            }
        });
    }

    @Override
    public CallStats stats() {
        CallStats last = finalStats;
        if (last != null) {
            return last;
        }
        Leg l = first;
        return l == null ? CallStats.NONE : toCallStats(l.stats());
    }

    private static CallStats toCallStats(PathStats p) {
        StreamStats s = p.stream();
        if (s == null) {
            return CallStats.NONE;
        }
        return new CallStats(p.codec(), s.packetsReceived(), s.packetsLost(), s.jitterMs(), s.effectiveLossPercent(),
                s.rttMs(), s.mos(), p.srtpAuthFailures(), p.srtpReplayed(), p.localType(), p.remoteType());
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

    @Override
    public String toString() {
        return "Call[" + id + (incoming ? " from " : " to ") + peer() + ", " + state() + "]";
    }

    // ------------------------------------------------------------------ from the legs, on serial

    void legRinging(Leg leg) {
        registry.emit(this, CallEvent.of(CallEvent.Kind.RINGING));
    }

    /**
     * A leg's media flows: the conference goes on the clock (once). Returns null, or why the audio
     * could not be opened.
     */
    String legMediaStarted(Leg leg) {
        if (attachment != null) {
            return null;
        }
        FrameClock clock = res.clock();
        if (clock == null) {
            return "the engine is stopping";
        }
        try {
            switch (audio.kind()) {
                case DEVICE -> attachment = clock.attachDevice(conference, audio.captureDevice(), audio.playbackDevice());
                case FILES -> {
                    AudioSource src = audio.captureFile() == null ? null : WavSource.open(audio.captureFile(), false);
                    recording = audio.playbackFile() == null ? null : WavSink.create(audio.playbackFile());
                    attachment = clock.attach(conference, src, recording);
                }
                case CUSTOM -> attachment = clock.attach(conference, audio.source(), audio.sink());
                case SILENCE -> attachment = clock.attach(conference, null, null);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("audio {} not opened", audio, e);
            return "audio " + audio + " cannot be opened: " + e.getMessage();
        }
    }

    void legJoined(Leg leg) {
        if (leg == first) {
            registry.emit(this, CallEvent.of(CallEvent.Kind.JOINED));
        }
    }

    void legInfo(Leg leg, Signaller.Info info) {
        switch (info) {
            case HOLD, ACTIVE -> {
                boolean h = info == Signaller.Info.HOLD;
                if (remoteHeld != h) {
                    remoteHeld = h;
                    registry.emit(this, CallEvent.of(CallEvent.Kind.REMOTE_HOLD));
                }
            }
            case MUTE, UNMUTE -> {
                boolean m = info == Signaller.Info.MUTE;
                if (remoteMuted != m) {
                    remoteMuted = m;
                    registry.emit(this, CallEvent.of(CallEvent.Kind.REMOTE_MUTE));
                }
            }
        }
    }

    void legDtmf(Leg leg, int event) {
        registry.emit(this, new CallEvent(CallEvent.Kind.DTMF, null, dtmfDigit(event)));
    }

    /** A leg ended; with the last one, the call ends with the leg's end. */
    void legEnded(Leg leg, CallEnd end) {
        legs.remove(leg);
        if (leg == first) {
            finalStats = toCallStats(leg.stats());
        }
        if (!legs.isEmpty() || over) {
            release(List.of(leg));
            return;
        }
        over = true;
        release(List.of(leg));
        registry.forget(this);
        ended.complete(end);
        registry.emit(this, new CallEvent(CallEvent.Kind.ENDED, end, (char) 0));
    }

    // ------------------------------------------------------------------ the end

    /** Ends every leg; {@code notifyPeer} tells the peers. */
    void end(CallEnd end, boolean notifyPeer) {
        for (Leg l : new ArrayList<>(legs)) {
            l.end(end, notifyPeer, Signaller.Cause.AS_ENDED);
        }
    }

    /** The call cannot start (bad address, id taken, offline): it ends before any leg does anything. */
    void failEarly(CallEnd e) {
        over = true;
        ended.complete(e);
        registry.emit(this, new CallEvent(CallEvent.Kind.ENDED, e, (char) 0));
    }

    /**
     * Once the last leg ends, takes the conference off the clock (when the attachment's close
     * returns, no audio thread touches the call), then closes the legs' media paths; the
     * recording is closed once they are closed. The engine waits for these closes when it stops.
     */
    private void release(List<Leg> ended) {
        FrameClock.Attachment a = null;
        WavSink rec = null;
        if (over) {
            a = attachment;
            attachment = null;
            rec = recording;
            recording = null;
        }
        if (a != null) {
            a.close();
        }
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (Leg l : ended) {
            closes.add(l.closeMedia().toCompletableFuture());
        }
        WavSink toClose = rec;
        CompletableFuture<Void> all = CompletableFuture.allOf(closes.toArray(new CompletableFuture<?>[0]));
        res.releasing(toClose == null ? all : all.handleAsync((v, e) -> {
            try {
                toClose.close();
            } catch (IOException ex) {
                LOG.debug("recording not closed", ex);
            }
            return null;
        }, res.blockingExecutor()));
    }
}
