package org.openzoep.media.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.openzoep.media.MediaClock;
import org.openzoep.media.SpscPacketRing;
import org.openzoep.media.codec.AudioDecoder;
import org.openzoep.media.codec.AudioEncoder;
import org.openzoep.media.jitter.JitterBuffer;
import org.openzoep.media.quality.EModel;
import org.openzoep.media.quality.StreamStats;
import org.openzoep.media.rtcp.RtcpSession;
import org.openzoep.media.rtp.DtmfReceiver;
import org.openzoep.media.rtp.DtmfSender;
import org.openzoep.media.rtp.RtpPacket;
import org.openzoep.media.rtp.RtpReceiver;
import org.openzoep.media.rtp.RtpSender;
import org.openzoep.media.transport.MediaReceiver;
import org.openzoep.media.transport.MediaTransport;
import org.openzoep.media.transport.UdpTransport;

/**
 * One media stream to one remote party: the audio thread feeds frames to send
 * ({@link #captureFrame}) and pulls the remote party's decoded voice ({@link #playbackFrame});
 * the session encodes, packetizes with the RFC 6464 level, sends, receives, jitter-buffers and
 * decodes, and keeps RTCP going. Mixing several streams is the {@link Conference}'s job.
 *
 * <p>Threads: {@link #captureFrame} and {@link #playbackFrame} on the one audio thread; network
 * work on the transport's event loop; {@link #sendDtmf}, {@link #stats} and {@link #closeAsync}
 * from any thread. Buffers: PCM arrays borrowed.
 */
public final class MediaSession implements MediaReceiver {

    /** Per-frame delay outside the stages measured here: packetization 20 ms, Opus look-ahead 6.5 ms. */
    private static final double FIXED_DELAY_MS = 26.5;
    private static final int RTCP_TICK_MS = 50;

    private final MediaClock clock;
    private final AudioEncoder encoder;
    private final int payloadType;
    private final int telephoneEventPt;
    private final int receivePayloadType;
    private final int receiveTelephoneEventPt;
    private final int frameSamples;
    private final int frameTicks;
    private final boolean fec;
    private final int fecMinLoss;

    // audio thread
    private final byte[] encoded = new byte[1500];
    private int appliedLoss = -1;
    private volatile int wantedLoss;

    // hand-offs
    private final SpscPacketRing outbound;
    private final JitterBuffer jitter;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainOutbound;

    // event loop
    private final RtpSender sender;
    private final RtpReceiver receiver;
    private final RtcpSession rtcp;
    private final DtmfSender dtmfSender;
    private final DtmfReceiver dtmfReceiver;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private MediaTransport transport;
    private ScheduledFuture<?> rtcpTimer;
    private long sourceChanges;
    private boolean firstPacket = true;
    private boolean paused;
    private volatile long outboundDrops;
    private volatile long encodeErrors;
    private volatile boolean sending = true;
    private volatile boolean receiving = true;

    private MediaSession(Builder b) {
        this.clock = b.clock;
        this.encoder = b.encoder;
        this.payloadType = b.payloadType;
        this.telephoneEventPt = b.telephoneEventPt;
        this.receivePayloadType = b.receivePayloadType >= 0 ? b.receivePayloadType : b.payloadType;
        this.receiveTelephoneEventPt = b.receiveTelephoneEventPt >= 0 ? b.receiveTelephoneEventPt
                : b.telephoneEventPt;
        this.frameSamples = encoder.frameSamples();
        this.frameTicks = (int) ((long) frameSamples * encoder.rtpClockRate() / encoder.sampleRate());
        this.fec = b.fec;
        this.sender = new RtpSender(b.random, b.payloadType, encoder.rtpClockRate(), b.audioLevelId, false);
        this.receiver = new RtpReceiver(sender, encoder.rtpClockRate(), receivePayloadType);
        this.rtcp = new RtcpSession(clock, b.random, sender, receiver, b.cname, b.sessionBitsPerSecond);
        this.dtmfSender = new DtmfSender(sender, b.telephoneEventPt, frameTicks);
        this.dtmfReceiver = new DtmfReceiver(b.dtmfListener);
        this.outbound = new SpscPacketRing(32, encoded.length);
        this.jitter = JitterBuffer.builder(b.decoder, encoder.rtpClockRate())
                .minDelayMs(b.fec ? 2 * frameSamples * 1000 / encoder.sampleRate() : b.minDelayMs)
                .frameMs(frameSamples * 1000 / encoder.sampleRate())
                .build();
        this.fecMinLoss = b.fecMinLossPercent;
        this.wantedLoss = b.fec ? fecMinLoss : 0;
    }

    /** A session on its own UDP socket, bound at {@code local}, exchanging with {@code remote}. */
    public static Builder builder(EventLoopGroup group, InetSocketAddress local, InetSocketAddress remote,
            AudioEncoder encoder, AudioDecoder decoder) {
        return new Builder(group, local, remote, null, encoder, decoder);
    }

    /**
     * A session over a transport that is already up (e.g. SRTP over an ICE pair). The session
     * becomes the transport's receiver; closing the session closes the transport.
     */
    public static Builder builder(MediaTransport transport, AudioEncoder encoder, AudioDecoder decoder) {
        return new Builder(null, null, null, transport, encoder, decoder);
    }

    /** Session settings. */
    public static final class Builder {
        private final EventLoopGroup group;
        private final InetSocketAddress local;
        private final InetSocketAddress remote;
        private final MediaTransport transport;
        private final AudioEncoder encoder;
        private final AudioDecoder decoder;
        private MediaClock clock = MediaClock.SYSTEM;
        private RandomGenerator random = new SecureRandom();
        private int payloadType = 111;
        private int telephoneEventPt = 101;
        private int receivePayloadType = -1;
        private int receiveTelephoneEventPt = -1;
        private int audioLevelId = 1;
        private String cname;
        private double sessionBitsPerSecond = 64_000;
        private boolean fec = true;
        private int fecMinLossPercent = 10;
        private int minDelayMs = 20;
        private DtmfReceiver.Listener dtmfListener = (e, d) -> { };

        private Builder(EventLoopGroup group, InetSocketAddress local, InetSocketAddress remote,
                MediaTransport transport, AudioEncoder encoder, AudioDecoder decoder) {
            this.group = group;
            this.local = local;
            this.remote = remote;
            this.transport = transport;
            this.encoder = encoder;
            this.decoder = decoder;
        }

        public Builder clock(MediaClock c) {
            clock = c;
            return this;
        }

        public Builder random(RandomGenerator r) {
            random = r;
            return this;
        }

        public Builder payloadType(int pt) {
            payloadType = pt;
            return this;
        }

        public Builder telephoneEventPayloadType(int pt) {
            telephoneEventPt = pt;
            return this;
        }

        /**
         * The payload type the remote sends the codec with, when it differs from the one we send
         * with (RFC 3264 section 5.1: each side receives with the numbers it listed); default: the
         * same as {@link #payloadType}.
         */
        public Builder receivePayloadType(int pt) {
            receivePayloadType = pt;
            return this;
        }

        /** As {@link #receivePayloadType} for telephone-event; default: {@link #telephoneEventPayloadType}. */
        public Builder receiveTelephoneEventPayloadType(int pt) {
            receiveTelephoneEventPt = pt;
            return this;
        }

        /** RFC 8285 ID negotiated for RFC 6464 audio levels (0: none). */
        public Builder audioLevelId(int id) {
            audioLevelId = id;
            return this;
        }

        public Builder cname(String c) {
            cname = c;
            return this;
        }

        /** In-band FEC: asks the encoder for it (expected loss at least 1%) and buffers two frames. */
        public Builder fec(boolean on) {
            fec = on;
            return this;
        }

        /**
         * The least expected loss told to the encoder while FEC is on (default 10). libopus decides
         * per frame whether LBRR fits its bitrate; at 24-32 kbit/s and an expected loss of 5% or less
         * it sends none (checked here: 0 of 456 frames at 5%, 375 at 10%), so a lower figure from
         * RTCP would switch FEC off exactly when a few percent are lost.
         */
        public Builder fecMinLossPercent(int p) {
            fecMinLossPercent = Math.max(1, Math.min(100, p));
            return this;
        }

        public Builder minDelayMs(int ms) {
            minDelayMs = ms;
            return this;
        }

        /** Receives DTMF events on the event loop; must only hand off. */
        public Builder dtmfListener(DtmfReceiver.Listener l) {
            dtmfListener = l;
            return this;
        }

        /** Binds the socket and starts RTCP; completes on the event loop. */
        public CompletionStage<MediaSession> start() {
            if (cname == null) {
                cname = Long.toHexString(random.nextLong()) + "@openzoep";
            }
            MediaSession s = new MediaSession(this);
            if (transport != null) {
                CompletableFuture<MediaSession> r = new CompletableFuture<>();
                transport.eventLoop().execute(() -> {
                    transport.receiver(s);
                    s.started(transport);
                    r.complete(s);
                });
                return r;
            }
            return UdpTransport.bind(group, local, remote, clock, s).thenApply(t -> {
                s.started(t);
                return s;
            });
        }
    }

    private void started(MediaTransport t) {
        this.transport = t;
        this.rtcpTimer = t.eventLoop().scheduleAtFixedRate(this::rtcpTick, RTCP_TICK_MS, RTCP_TICK_MS,
                TimeUnit.MILLISECONDS);
    }

    /** The bound address of a session on its own UDP socket. */
    public InetSocketAddress localAddress() {
        return ((UdpTransport) transport).localAddress();
    }

    /** Changes the negotiated remote of a session on its own UDP socket (before media flows, or on re-negotiation). */
    public void remoteAddress(InetSocketAddress remote) {
        ((UdpTransport) transport).remoteAddress(remote);
    }

    // ------------------------------------------------------------------ audio thread

    /**
     * Audio thread: encodes one captured frame and queues it for sending.
     *
     * @param pcm borrowed; {@code frameSamples} samples from {@code offset}
     */
    public void captureFrame(short[] pcm, int offset) {
        int loss = wantedLoss;
        if (loss != appliedLoss) {
            encoder.setExpectedLossPercent(loss);
            appliedLoss = loss;
        }
        int level = level(pcm, offset, frameSamples);
        int n = encoder.encode(pcm, offset, encoded, 0, encoded.length);
        if (n < 0) {
            encodeErrors++;
            n = 0;
        }
        // a zero-length entry still advances the timestamp (DTX); the slot's sequence field carries
        // the frame's RFC 6464 level to the event loop
        if (!outbound.offer(encoded, 0, n, level, 0, 0, 0)) {
            outboundDrops++;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            transport.eventLoop().execute(drainTask);
        }
    }

    /** RFC 6464 level of a frame: 0..127 in -dBov. */
    static int level(short[] pcm, int off, int n) {
        long e = 0;
        for (int i = off; i < off + n; i++) {
            e += pcm[i] * pcm[i];
        }
        if (e == 0) {
            return 127;
        }
        double dbov = -10 * Math.log10((double) e / n / (32768.0 * 32768.0));
        return (int) Math.max(0, Math.min(127, Math.round(dbov)));
    }

    /**
     * Audio thread: produces one frame of the remote voice from the jitter buffer (decoded,
     * concealed or time-stretched as needed).
     *
     * @param out borrowed; {@code frameSamples} samples are written from {@code offset}
     */
    public void playbackFrame(short[] out, int offset) {
        jitter.get(out, offset, frameSamples);
    }

    public int frameSamples() {
        return frameSamples;
    }

    // ------------------------------------------------------------------ event loop

    private void drainOutbound() {
        drainScheduled.set(false);
        int i;
        while ((i = outbound.peek()) >= 0) {
            int len = outbound.length(i);
            int level = outbound.sequence(i);
            if (dtmfSender.active()) {
                // the event goes out in place of this frame; the audio clock keeps running
                ByteBuf b = alloc.ioBuffer(32);
                dtmfSender.writeNext(b);
                transport.send(b);
                sender.advanceTimestamp(frameTicks);
            } else if (len == 0 || !sending) {
                // DTX, or a direction without sending (hold): the timestamp still advances
                sender.advanceTimestamp(frameTicks);
                paused |= !sending;
            } else {
                ByteBuf b = alloc.ioBuffer(RTP_HEADER_ROOM + len);
                // the marker starts a talkspurt (RFC 3551 section 4.1): the first packet, and the
                // first after a hold
                sender.writeAudio(b, outbound.data(i), 0, len, frameTicks, firstPacket || paused, level, level < 50);
                firstPacket = false;
                paused = false;
                transport.send(b);
            }
            outbound.advance();
        }
    }

    private static final int RTP_HEADER_ROOM = 12 + 8;

    @Override
    public void onRtp(ByteBuf buf, int offset, int length, long arrivalNanos) {
        if (!receiver.receive(buf, offset, length, arrivalNanos)) {
            return;
        }
        if (receiver.sourceChanges() != sourceChanges) {
            sourceChanges = receiver.sourceChanges();
            jitter.flush();
        }
        RtpPacket p = receiver.packet();
        if (!receiving) {
            jitter.skip(p.sequenceNumber(), arrivalNanos);
        } else if (p.payloadType() == receivePayloadType) {
            jitter.put(buf, p.payloadOffset(), p.payloadLength(), p.sequenceNumber(), p.timestamp(), arrivalNanos);
        } else if (p.payloadType() == receiveTelephoneEventPt) {
            dtmfReceiver.receive(p);
            jitter.skip(p.sequenceNumber(), arrivalNanos);
        }
    }

    @Override
    public void onRtcp(ByteBuf buf, int offset, int length, long arrivalNanos) {
        rtcp.receive(buf, offset, length);
        int fraction = rtcp.remoteFractionLost();
        if (fec && fraction >= 0) {
            wantedLoss = Math.max(fecMinLoss, Math.min(30, (fraction * 100 + 255) / 256));
        }
    }

    private void rtcpTick() {
        long bye = receiver.pollByeSsrc();
        if (bye >= 0) {
            ByteBuf b = alloc.ioBuffer(64);
            rtcp.writeBye(b, (int) bye);
            transport.send(b);
        }
        if (rtcp.due()) {
            ByteBuf b = alloc.ioBuffer(128);
            rtcp.writeReport(b);
            transport.send(b);
        }
    }

    /**
     * Any thread: the negotiated direction (RFC 3264 section 6.1). Not sending: no RTP goes out
     * (RTCP does, and the RTP timestamp keeps advancing); not receiving: inbound RTP is counted
     * and dropped.
     */
    public void direction(boolean send, boolean receive) {
        boolean resume = receive && !receiving;
        sending = send;
        receiving = receive;
        if (resume && transport != null) {
            // the jitter buffer waited for the held stream without advancing its playout; start over
            // on the first packet after resume instead of filling the hold's timestamp gap
            transport.eventLoop().execute(jitter::flush);
        }
    }

    public boolean sending() {
        return sending;
    }

    public boolean receiving() {
        return receiving;
    }

    /** Any thread: sends a DTMF event (RFC 4733) in place of audio. */
    public void sendDtmf(int event, int durationMs) {
        int ticks = durationMs * sender.clockRate() / 1000;
        transport.eventLoop().execute(() -> dtmfSender.start(event, 10, ticks));
    }

    // ------------------------------------------------------------------ any thread

    /** A snapshot of the received stream's quality. */
    public StreamStats stats() {
        return StreamStats.of(receiver, jitter, rtcp, EModel.OPUS, FIXED_DELAY_MS);
    }

    /** RTCP state (RTT, remote loss, remote BYE); read it from any thread, approximately. */
    public RtcpSession rtcp() {
        return rtcp;
    }

    public JitterBuffer jitterBuffer() {
        return jitter;
    }

    public MediaTransport transport() {
        return transport;
    }

    public long outboundDrops() {
        return outboundDrops;
    }

    /** Sends a BYE and closes the transport; completes when closed. */
    public CompletionStage<Void> closeAsync() {
        return end(true);
    }

    /**
     * Sends a BYE and stops RTCP but leaves the transport open, for a session that replaces this
     * one on the same transport (a codec change on re-offer); completes on the event loop.
     */
    public CompletionStage<Void> stopAsync() {
        return end(false);
    }

    private CompletionStage<Void> end(boolean closeTransport) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (transport.eventLoop().isShuttingDown()) {
            // the engine is stopping: its event loops close every socket with them
            done.complete(null);
            return done;
        }
        transport.eventLoop().execute(() -> {
            if (rtcpTimer != null) {
                rtcpTimer.cancel(false);
            }
            ByteBuf b = alloc.ioBuffer(64);
            rtcp.writeBye(b, sender.ssrc());
            transport.send(b);
            if (closeTransport) {
                transport.closeAsync().whenComplete((v, e) -> done.complete(null));
            } else {
                done.complete(null);
            }
        });
        return done;
    }
}
