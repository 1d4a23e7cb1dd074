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
    final ReplayWindow rtpWindow;
    final ReplayWindow rtcpWindow;
    /** Next SRTCP index to send (31 bits). */
    int rtcpIndexOut;
    long lastUsed;

    SrtpStream(int ssrc, int firstSeq, int windowSize) {
        this.ssrc = ssrc;
        this.highestSeq = firstSeq;
        this.rtpWindow = new ReplayWindow(windowSize);
        this.rtcpWindow = new ReplayWindow(windowSize);
    }

    /**
     * The packet index {@code 2^16 * v + seq} of section 3.3.1, where v is ROC - 1, ROC or ROC + 1
     * depending on which makes {@code seq} closest to the highest sequence number; negative
     * before the first wrap.
     */
    long estimate(int seq) {
        long v;
        if (highestSeq < 32768) {
            v = seq - highestSeq > 32768 ? roc - 1 : roc;
        } else {
            v = highestSeq - 32768 > seq ? roc + 1 : roc;
        }
        return (v << 16) | seq;
    }

    /** Moves ROC and s_l after a packet with {@code index} was authenticated (or sent). */
    void update(long index) {
        long v = index >>> 16;
        int seq = (int) (index & 0xFFFF);
        if (v > roc) {
            roc = v;
            highestSeq = seq;
        } else if (v == roc && seq > highestSeq) {
            highestSeq = seq;
        }
    }
}
