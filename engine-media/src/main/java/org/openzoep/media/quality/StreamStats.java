package org.openzoep.media.quality;

import org.openzoep.media.jitter.JitterBuffer;
import org.openzoep.media.rtcp.RtcpSession;
import org.openzoep.media.rtp.RtpReceiver;

/**
 * An immutable snapshot of one received stream's quality.
 *
 * @param packetsReceived valid RTP packets accepted
 * @param packetsLost cumulative loss from sequence numbers (RFC 3550 A.3)
 * @param late packets that came after their turn in the jitter buffer
 * @param discarded packets the jitter buffer threw away unplayed (ring full, jump, flush)
 * @param duplicates duplicate packets dropped
 * @param malformed packets dropped as malformed RTP
 * @param fecRecovered frames recovered from FEC
 * @param concealedMs audio concealed (PLC), in ms
 * @param framesPlayed frames decoded or recovered, plus frames concealed
 * @param jitterMs interarrival jitter (RFC 3550), in ms
 * @param rttMs round-trip time from RTCP, or -1 when not known yet
 * @param jitterBufferMs current jitter-buffer delay, in ms
 * @param oneWayDelayMs the mouth-to-ear delay estimate fed to the E-model
 * @param effectiveLossPercent concealed frames as a share of frames played: the loss a listener hears
 * @param burstR the G.107 burst ratio of that loss
 * @param r the E-model rating
 * @param mos the MOS estimate from R
 */
public record StreamStats(long packetsReceived, long packetsLost, long late, long discarded, long duplicates,
        long malformed, long fecRecovered, double concealedMs, long framesPlayed, double jitterMs, double rttMs,
        double jitterBufferMs, double oneWayDelayMs, double effectiveLossPercent, double burstR, double r,
        double mos) {

    /**
     * Takes a snapshot.
     *
     * @param rtcp may be null (then the RTT is unknown and not counted in the delay)
     * @param fixedDelayMs delay the stages here do not see: packetization, codec look-ahead, device
     *     buffers (for Opus at 20 ms with 10 ms device periods, about 20 + 6.5 + 20)
     */
    public static StreamStats of(RtpReceiver receiver, JitterBuffer jitter, RtcpSession rtcp, EModel model,
            double fixedDelayMs) {
        double rtt = rtcp != null ? rtcp.rttMillis() : -1;
        long good = jitter.goodAfterGood() + jitter.goodAfterLost();
        long lost = jitter.lostAfterGood() + jitter.lostAfterLost();
        long frames = good + lost;
        double lossPercent = frames == 0 ? 0 : 100.0 * lost / frames;
        double burst = EModel.burstR(jitter.goodAfterGood(), jitter.lostAfterGood(), jitter.goodAfterLost(),
                jitter.lostAfterLost());
        double oneWay = (rtt > 0 ? rtt / 2 : 0) + jitter.currentDelayMillis() + fixedDelayMs;
        double r = model.r(oneWay, lossPercent, burst);
        return new StreamStats(receiver.accepted(), receiver.sequence().cumulativeLost(), jitter.late(),
                jitter.discarded() + jitter.ringDrops(), jitter.duplicates(), receiver.malformedTotal(),
                jitter.fecRecovered(), jitter.concealedMillis(), frames, receiver.jitterMillis(), rtt,
                jitter.currentDelayMillis(), oneWay, lossPercent, burst, r, EModel.mos(r));
    }
}
