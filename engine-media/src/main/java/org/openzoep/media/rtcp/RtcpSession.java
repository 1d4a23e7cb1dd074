package org.openzoep.media.rtcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import org.openzoep.media.MediaClock;
import org.openzoep.media.rtp.RtpReceiver;
import org.openzoep.media.rtp.RtpSender;
import org.openzoep.media.rtp.SequenceTracker;

/**
 * RTCP for one RTP session with one remote party: writes compound SR/RR + SDES CNAME reports at
 * the randomized interval, writes BYE, and reads the remote's reports for round-trip time
 * (RFC 3550 6.4.1: RTT = A - LSR - DLSR, in 1/65536 s), the fraction of our packets the remote
 * lost (to feed the encoder's FEC) and its BYE.
 *
 * <p>Thread: the media network thread. Buffers: {@link #receive} borrows its buffer for the call;
 * the writers borrow {@code out} and append at its writer index.
 */
public final class RtcpSession {

    /** IPv4 + UDP header bytes counted in the average RTCP size (RFC 3550 6.2). */
    private static final int LOWER_LAYER_OVERHEAD = 28;
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private final MediaClock clock;
    private final RtpSender sender;
    private final RtpReceiver receiver;
    private final byte[] cname;
    private final RtcpScheduler scheduler;
    private final long epochNanosAtStart;
    private final long nanoAtStart;
    private final long[] malformed = new long[RtcpParser.Verdict.values().length];
    private final Reader reader = new Reader();

    private long lsr;              // middle 32 bits of the remote's last SR NTP stamp
    private long lsrArrivalNanos;
    private boolean haveLsr;
    private double rttMillis = -1;
    private int remoteFractionLost = -1;
    private long remoteCumulativeLost;
    private double remoteJitterMillis = -1;
    private boolean remoteBye;
    private boolean remoteSent;
    private long received;
    private long sent;

    /**
     * @param sender our sender, or null when we only receive
     * @param receiver the receiver of the remote's stream
     * @param cname our canonical name (RFC 7022: a random per-session string is fine)
     * @param sessionBitsPerSecond the session bandwidth, for the RTCP interval
     */
    public RtcpSession(MediaClock clock, RandomGenerator random, RtpSender sender, RtpReceiver receiver,
            String cname, double sessionBitsPerSecond) {
        this.clock = clock;
        this.sender = sender;
        this.receiver = receiver;
        this.cname = cname.getBytes(StandardCharsets.UTF_8);
        if (this.cname.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        this.nanoAtStart = clock.nanoTime();
        this.epochNanosAtStart = clock.epochMillis() * 1_000_000L;
        this.scheduler = new RtcpScheduler(random, sessionBitsPerSecond, nanoAtStart);
    }

    /** 64-bit NTP timestamp of {@code nanos} on the media clock. */
    public long ntp(long nanos) {
        long unixNanos = epochNanosAtStart + (nanos - nanoAtStart);
        long secs = Math.floorDiv(unixNanos, 1_000_000_000L);
        long frac = ((unixNanos - secs * 1_000_000_000L) << 32) / 1_000_000_000L;
        return (secs + NTP_UNIX_OFFSET_SECONDS) << 32 | frac;
    }

    public RtcpScheduler scheduler() {
        return scheduler;
    }

    /** Whether a regular report is due now. */
    public boolean due() {
        return scheduler.due(clock.nanoTime());
    }

    private int ourSsrc() {
        return sender != null ? sender.ssrc() : 0;
    }

    /**
     * Appends a compound report: an SR when we sent RTP since the last report, else an RR, with a
     * report block for the remote source when it is valid, then SDES CNAME. Schedules the next one.
     *
     * @param out borrowed
     * @return bytes written
     */
    public int writeReport(ByteBuf out) {
        long now = clock.nanoTime();
        int begin = out.writerIndex();
        boolean weSent = sender != null && sender.sentSinceReport();
        int start;
        if (weSent) {
            start = RtcpWriter.beginSenderReport(out, sender.ssrc(), ntp(now), sender.lastTimestampSent(),
                    sender.packetCount(), sender.octetCount());
            sender.markReported();
        } else {
            start = RtcpWriter.beginReceiverReport(out, ourSsrc());
        }
        int blocks = 0;
        if (receiver != null && receiver.hasSource() && !receiver.sequence().onProbation()
                && receiver.sequence().received() > 0) {
            SequenceTracker seq = receiver.sequence();
            long dlsr = 0;
            if (haveLsr) {
                dlsr = ((now - lsrArrivalNanos) << 16) / 1_000_000_000L; // units of 1/65536 s
            }
            RtcpWriter.reportBlock(out, receiver.remoteSsrc(), seq.takeFractionLost(), seq.cumulativeLost(),
                    seq.extendedMax() & 0xFFFFFFFFL, receiver.jitter(), haveLsr ? lsr : 0, dlsr);
            blocks = 1;
        }
        RtcpWriter.endReport(out, start, blocks);
        RtcpWriter.sdesCname(out, ourSsrc(), cname);
        int size = out.writerIndex() - begin;
        int senders = (weSent ? 1 : 0) + (remoteSent ? 1 : 0);
        remoteSent = false;
        scheduler.onSent(now, size + LOWER_LAYER_OVERHEAD, 2, senders, weSent);
        sent++;
        return size;
    }

    /**
     * Appends a compound RR + SDES + BYE for {@code ssrc} (our current SSRC when leaving, or the old
     * one after an SSRC collision).
     *
     * @param out borrowed
     */
    public void writeBye(ByteBuf out, int ssrc) {
        int start = RtcpWriter.beginReceiverReport(out, ssrc);
        RtcpWriter.endReport(out, start, 0);
        RtcpWriter.sdesCname(out, ssrc, cname);
        RtcpWriter.bye(out, ssrc);
    }

    /**
     * Handles one datagram classified as RTCP.
     *
     * @param buf borrowed for the call
     * @return true when it was a valid compound
     */
    public boolean receive(ByteBuf buf, int offset, int length) {
        RtcpParser.Verdict v = RtcpParser.parse(buf, offset, length, reader);
        if (v != RtcpParser.Verdict.VALID) {
            malformed[v.ordinal()]++;
            return false;
        }
        received++;
        scheduler.onReceived(length + LOWER_LAYER_OVERHEAD);
        return true;
    }

    private final class Reader implements RtcpParser.Handler {
        @Override
        public void onSenderInfo(int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount, long octetCount) {
            lsr = (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
            lsrArrivalNanos = clock.nanoTime();
            haveLsr = true;
            remoteSent = true;
        }

        @Override
        public void onReportBlock(int reporter, int source, int fractionLost, int cumulativeLost,
                long extendedHighestSeq, long jitter, long lsrField, long dlsr) {
            if (sender == null || source != sender.ssrc()) {
                return;
            }
            remoteFractionLost = fractionLost;
            remoteCumulativeLost = cumulativeLost;
            remoteJitterMillis = jitter * 1000.0 / sender.clockRate();
            if (lsrField != 0) {
                long a = (ntp(clock.nanoTime()) >>> 16) & 0xFFFFFFFFL;
                long rtt = (a - lsrField - dlsr) & 0xFFFFFFFFL;
                if (rtt < 0x80000000L) { // a negative value means clocks or fields are bogus
                    rttMillis = rtt * 1000.0 / 65536.0;
                }
            }
        }

        @Override
        public void onBye(int ssrc) {
            if (receiver != null && receiver.hasSource() && ssrc == receiver.remoteSsrc()) {
                remoteBye = true;
            }
        }
    }

    /** Round-trip time from the last report block about us, in ms; -1 until known. */
    public double rttMillis() {
        return rttMillis;
    }

    /** Fraction (0..255) of our packets the remote lost in its last interval; -1 until known. */
    public int remoteFractionLost() {
        return remoteFractionLost;
    }

    public long remoteCumulativeLost() {
        return remoteCumulativeLost;
    }

    public double remoteJitterMillis() {
        return remoteJitterMillis;
    }

    public boolean remoteBye() {
        return remoteBye;
    }

    public long receivedCompounds() {
        return received;
    }

    public long sentCompounds() {
        return sent;
    }

    public long malformed(RtcpParser.Verdict reason) {
        return malformed[reason.ordinal()];
    }

    public long malformedTotal() {
        long n = 0;
        for (int i = 1; i < malformed.length; i++) {
            n += malformed[i];
        }
        return n;
    }
}
