package org.openzoep.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Receives the RTP packets of one remote source: validates each with {@link RtpPacket}, drops and
 * counts malformed ones, tracks sequence numbers (RFC 3550 A.1), computes interarrival jitter
 * (A.8) and resolves SSRC collisions with the local sender (section 8.2): when the remote uses our
 * SSRC we pick a new one and leave a BYE for the old one to {@link #pollByeSsrc()}.
 *
 * <p>Thread: the media network thread. Buffers: borrowed for the duration of {@link #receive} and
 * while the caller uses {@link #packet()}; never retained or released.
 */
public final class RtpReceiver {

    private final RtpPacket packet = new RtpPacket();
    private final SequenceTracker sequence = new SequenceTracker();
    private final RtpSender localSender;
    private final int clockRate;
    private final int jitterPayloadType;
    private final long[] malformed = new long[RtpPacket.Verdict.values().length];
    private static final RtpPacket.Verdict[] VERDICTS = RtpPacket.Verdict.values();

    private boolean haveSource;
    private int remoteSsrc;
    private long accepted;
    private long probationDrops;
    private long sourceChanges;
    private long collisions;
    private long pendingBye = -1;
    private long lastTransit;
    private boolean haveTransit;
    private long jitterQ4;

    /**
     * @param localSender our own sender, whose SSRC is changed on a collision; may be null for a
     *     receive-only session
     * @param clockRate RTP clock rate of the stream, for jitter in timestamp units
     */
    public RtpReceiver(RtpSender localSender, int clockRate) {
        this(localSender, clockRate, -1);
    }

    /**
     * @param jitterPayloadType the payload type whose packets are timed for the jitter figure (the
     *     audio; RFC 4733 event packets repeat a timestamp and would distort it), or -1 for all
     */
    public RtpReceiver(RtpSender localSender, int clockRate, int jitterPayloadType) {
        this.localSender = localSender;
        this.clockRate = clockRate;
        this.jitterPayloadType = jitterPayloadType;
    }

    /**
     * Handles one datagram that the transport classified as RTP.
     *
     * @param buf borrowed
     * @param arrivalNanos arrival time on the media clock
     * @return true when the packet is valid media of the current source; it is then readable
     *     through {@link #packet()} (and its extended number through {@link #extendedSequence()})
     */
    public boolean receive(ByteBuf buf, int offset, int length, long arrivalNanos) {
        RtpPacket.Verdict verdict = packet.wrap(buf, offset, length);
        if (verdict != RtpPacket.Verdict.VALID) {
            malformed[verdict.ordinal()]++;
            return false;
        }
        int ssrc = packet.ssrc();
        if (localSender != null && ssrc == localSender.ssrc()) {
            // The transport accepts only the negotiated remote address, so this is not our own
            // packet looped back: it is a real collision. We move; the remote keeps its SSRC.
            pendingBye = localSender.changeSsrc() & 0xFFFFFFFFL;
            collisions++;
        }
        if (!haveSource || ssrc != remoteSsrc) {
            if (haveSource) {
                sourceChanges++;
            }
            haveSource = true;
            remoteSsrc = ssrc;
            sequence.start(packet.sequenceNumber());
            haveTransit = false;
            jitterQ4 = 0;
        }
        if (!sequence.update(packet.sequenceNumber())) {
            probationDrops++;
            return false;
        }
        accepted++;
        if (jitterPayloadType >= 0 && packet.payloadType() != jitterPayloadType) {
            return true;
        }
        // RFC 3550 A.8, in timestamp units, kept scaled by 16 to avoid floating point
        long arrival = Math.floorDiv(arrivalNanos, 1000L) * clockRate / 1_000_000L;
        long transit = arrival - (packet.timestamp() & 0xFFFFFFFFL);
        if (haveTransit) {
            long d = transit - lastTransit;
            d = (int) d; // timestamps wrap at 32 bits
            if (d < 0) {
                d = -d;
            }
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
        return true;
    }

    /** The view of the last packet given to {@link #receive}. */
    public RtpPacket packet() {
        return packet;
    }

    public long extendedSequence() {
        return sequence.lastExtended();
    }

    public SequenceTracker sequence() {
        return sequence;
    }

    public boolean hasSource() {
        return haveSource;
    }

    public int remoteSsrc() {
        return remoteSsrc;
    }

    /** Interarrival jitter in timestamp units (RFC 3550 6.4.1). */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /** Interarrival jitter in milliseconds. */
    public double jitterMillis() {
        return (jitterQ4 / 16.0) * 1000.0 / clockRate;
    }

    public long accepted() {
        return accepted;
    }

    /** Packets dropped as malformed for {@code reason}. */
    public long malformed(RtpPacket.Verdict reason) {
        return malformed[reason.ordinal()];
    }

    /** All packets dropped as malformed. */
    public long malformedTotal() {
        long n = 0;
        for (int i = 1; i < VERDICTS.length; i++) {
            n += malformed[i];
        }
        return n;
    }

    public long probationDrops() {
        return probationDrops;
    }

    public long sourceChanges() {
        return sourceChanges;
    }

    public long collisions() {
        return collisions;
    }

    /** SSRC (unsigned) we left after a collision and must send a BYE for, once; -1 when none. */
    public long pollByeSsrc() {
        long s = pendingBye;
        pendingBye = -1;
        return s;
    }
}
