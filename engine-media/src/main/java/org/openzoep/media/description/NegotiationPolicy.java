package org.openzoep.media.description;

import java.util.List;
import java.util.Locale;

/**
 * What this endpoint allows in a negotiation.
 *
 * <p>Immutable; any thread.
 *
 * @param codecs codec names in preference order: "opus", "pcmu", "pcma" (case-insensitive; others
 *     are ignored); stored lower-case
 * @param allowPlainRtp whether unprotected RTP is accepted (an offer or answer without security)
 * @param allowSdes whether SDES-SRTP (keys in the signalling, RFC 4568) is accepted
 */
public record NegotiationPolicy(List<String> codecs, boolean allowPlainRtp, boolean allowSdes) {

    public NegotiationPolicy {
        codecs = codecs == null ? List.of() : codecs.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
    }

    /** DTLS-SRTP only, with these codecs. */
    public static NegotiationPolicy secure(String... codecs) {
        return new NegotiationPolicy(List.of(codecs), false, false);
    }

    /** True when the codec name (any case) is allowed. */
    public boolean allows(String codec) {
        return codec != null && codecs.contains(codec.toLowerCase(Locale.ROOT));
    }
}
