package org.openzoep.media.rtp;

/**
 * RFC 3550 appendix A.1: validates a source's sequence numbers and extends them across wrap, with
 * probation for new sources, {@link #MAX_DROPOUT} and {@link #MAX_MISORDER}; keeps the counts
 * needed for the reception report (A.3: cumulative and fraction lost).
 *
 * <p>Thread: the media network thread.
 */
public final class SequenceTracker {

    public static final int MAX_DROPOUT = 3000;
    public static final int MAX_MISORDER = 100;
    public static final int MIN_SEQUENTIAL = 2;
    private static final int RTP_SEQ_MOD = 1 << 16;

    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lastExtended;
    private boolean started;

    /** Starts tracking a (new) source whose first packet has {@code seq}; it is then on probation. */
    public void start(int seq) {
        init(seq);
        maxSeq = (seq - 1) & 0xFFFF;
        probation = MIN_SEQUENTIAL;
        started = true;
    }

    private void init(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    public boolean started() {
        return started;
    }

    /**
     * Updates with one received sequence number (RFC 3550 A.1 {@code update_seq}).
     *
     * @return true when the packet is valid (the source is out of probation and the number is
     *     within the allowed jump); its extended number is then {@link #lastExtended()}
     */
    public boolean update(int seq) {
        if (!started) {
            start(seq);
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    init(seq);
                    received++;
                    lastExtended = seq;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += RTP_SEQ_MOD; // wrapped
            }
            maxSeq = seq;
            lastExtended = cycles + seq;
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            // a very large jump: accept it only if the next packet follows it (the source restarted)
            if (seq == badSeq) {
                init(seq);
                lastExtended = cycles + seq;
            } else {
                badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
                return false;
            }
        } else {
            // duplicate or reordered: extend relative to the current cycle
            long ext = cycles + seq;
            if (seq > maxSeq) {
                ext -= RTP_SEQ_MOD;
            }
            lastExtended = ext;
        }
        received++;
        return true;
    }

    public boolean onProbation() {
        return probation > 0;
    }

    /** Extended sequence number of the last valid packet. */
    public long lastExtended() {
        return lastExtended;
    }

    /** Extended highest sequence number received (cycles + max). */
    public long extendedMax() {
        return cycles + maxSeq;
    }

    public long received() {
        return received;
    }

    public long expected() {
        return extendedMax() - baseSeq + 1;
    }

    /** Cumulative packets lost, clamped to the 24-bit signed field of a report block. */
    public int cumulativeLost() {
        long lost = expected() - received;
        if (lost > 0x7FFFFF) {
            return 0x7FFFFF;
        }
        if (lost < -0x800000) {
            return -0x800000;
        }
        return (int) lost;
    }

    /**
     * Fraction lost since the previous call, as the 8-bit fixed-point value of a report block
     * (RFC 3550 A.3); resets the interval.
     */
    public int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) ((lostInterval << 8) / expectedInterval);
    }
}
