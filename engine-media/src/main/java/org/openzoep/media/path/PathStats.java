package org.openzoep.media.path;

import org.openzoep.media.quality.StreamStats;

/**
 * A snapshot of one media path.
 *
 * @param codec "opus/48000/2", "PCMU/8000"; null before media
 * @param stream the received stream's quality; null before media
 * @param srtpAuthFailures inbound SRTP packets whose tag did not verify
 * @param srtpReplayed inbound SRTP packets rejected as replays
 * @param localType the local candidate type of the chosen pair ("host", "srflx", …; "udp" without
 *     ICE); null before the path connects
 * @param remoteType the remote candidate type, likewise
 */
public record PathStats(String codec, StreamStats stream, long srtpAuthFailures, long srtpReplayed, String localType,
        String remoteType) {

    /** Nothing yet. */
    public static final PathStats NONE = new PathStats(null, null, 0, 0, null, null);
}
