package org.openzoep;

/**
 * A snapshot of one call's quality, as the local party hears it.
 *
 * @param codec negotiated codec, e.g. {@code opus/48000/2}, or null before the call connects
 * @param packetsReceived RTP packets accepted
 * @param packetsLost packets lost per RTP sequence numbers
 * @param jitterMs RFC 3550 interarrival jitter
 * @param lossPercent loss after FEC, as played
 * @param rttMs RTCP round-trip time, or -1 before it is known
 * @param mos E-model (ITU-T G.107) MOS estimate, 1..4.5
 * @param srtpAuthFailures SRTP/SRTCP packets rejected by their authentication tag
 * @param srtpReplayed SRTP/SRTCP packets rejected as replays
 * @param localCandidate type of the ICE candidate pair in use, e.g. {@code host}/{@code srflx}, or null
 */
public record CallStats(String codec, long packetsReceived, long packetsLost, double jitterMs, double lossPercent,
        double rttMs, double mos, long srtpAuthFailures, long srtpReplayed, String localCandidate,
        String remoteCandidate) {

    /** Before media flows. */
    public static final CallStats NONE = new CallStats(null, 0, 0, 0, 0, -1, 0, 0, 0, null, null);
}
