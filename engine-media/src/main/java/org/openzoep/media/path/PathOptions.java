package org.openzoep.media.path;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One call leg's choices.
 *
 * <p>Immutable; any thread.
 *
 * @param controlling the ICE role (RFC 8445 section 6.1.1: the offerer controls)
 * @param stunServers STUN servers for server-reflexive candidates
 * @param codecs codec tuning; null: the defaults
 * @param cname the RTCP CNAME; null: a random one
 * @param ice true: an ICE agent ({@link MediaPath#localIce}); false: one plain UDP socket to the
 *     peer's fixed address ({@link MediaPath#localConnection}), for SIP peers without ICE. An
 *     addition to the contract; the four-argument constructor means ICE.
 */
public record PathOptions(boolean controlling, List<InetSocketAddress> stunServers, CodecSettings codecs,
        String cname, boolean ice) {

    public PathOptions {
        stunServers = stunServers == null ? List.of() : List.copyOf(stunServers);
        codecs = codecs == null ? CodecSettings.DEFAULTS : codecs;
    }

    /** The contract's shape: a path over ICE. */
    public PathOptions(boolean controlling, List<InetSocketAddress> stunServers, CodecSettings codecs, String cname) {
        this(controlling, stunServers, codecs, cname, true);
    }
}
