package org.openzoep.media.srtp;

/**
 * What one {@link SrtpContext} remembers of one SSRC: the rollover counter and highest sequence
 * number (RFC 3711 section 3.3.1), the replay windows of the SRTP and SRTCP indices, and the next
 * SRTCP index to send.
 *
 * <p>Thread: owned by the context's thread.
 */
final class SrtpStream {

    final int ssrc;
    /** Rollover counter: how many times the 16-bit sequence number wrapped. */
    long roc;
    /** Highest sequence number seen (s_l). */
    int highestSeq;
    /**
     * False while the stream is known only from RTCP (a report can come before the first RTP
     * packet, e.g. on hold): then there is no s_l yet, and the first RTP packet sets it.
     */
    boolean haveRtp;
    final ReplayWindow rtpWindow;
    final ReplayWindow rtcpWindow;
    /** Next SRTCP index to send (31 bits). */
    int rtcpIndexOut;
    long lastUsed;

    SrtpStream(int ssrc, int firstSeq, boolean fromRtp, int windowSize) {
        this.ssrc = ssrc;
        this.highestSeq = firstSeq;
        this.haveRtp = fromRtp;
        this.rtpWindow = new ReplayWindow(windowSize);
        this.rtcpWindow = new ReplayWindow(windowSize);
    }

    /**
     * The packet index {@code 2^16 * v + seq} of section 3.3.1, where v is ROC - 1, ROC or ROC + 1
     * depending on which makes {@code seq} closest to the highest sequence number. The guess is
     * never negative: where it would be roll -1 (ROC 0, {@code seq} more than 2^15 below s_l: a
     * packet from before the first one) the answer is -1, "no index", which the receiver drops as
     * too old and the sender refuses, and which moves nothing.
     */
    long estimate(int seq) {
        if (!haveRtp) {
            return seq; // the first RTP packet of a stream first seen in RTCP: roll 0, s_l = seq
        }
        long v;
        if (highestSeq < 32768) {
            v = seq - highestSeq > 32768 ? roc - 1 : roc;
        } else {
            v = highestSeq - 32768 > seq ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }

    /** Moves ROC and s_l after a packet with {@code index} was authenticated (or sent). */
    void update(long index) {
        long v = index >>> 16;
        int seq = (int) (index & 0xFFFF);
        if (!haveRtp) {
            haveRtp = true;
            roc = v;
            highestSeq = seq;
            return;
        }
        if (v > roc) {
            roc = v;
            highestSeq = seq;
        } else if (v == roc && seq > highestSeq) {
            highestSeq = seq;
        }
    }
}
