package org.openzoep.media.description;

import java.util.List;
import java.util.Objects;

/**
 * How a media line's RTP is protected: DTLS-SRTP (RFC 5763/5764; XEP-0320 fingerprint), SDES-SRTP
 * (RFC 4568 crypto lines, from SIP peers), or plain RTP where the configuration allows it.
 *
 * <p>Immutable; any thread.
 */
public sealed interface Security permits Security.Dtls, Security.Sdes, Security.Plain {

    /**
     * A certificate fingerprint (RFC 8122 {@code a=fingerprint}) and the setup role.
     *
     * @param hashFunction "sha-256" and so on
     * @param fingerprint colon-separated upper-case hex; null when the peer sent none
     * @param setup the setup attribute; null when not signalled
     */
    record Dtls(String hashFunction, String fingerprint, DtlsSetup setup) implements Security {
        /** The same fingerprint with another setup. */
        public Dtls withSetup(DtlsSetup s) {
            return new Dtls(hashFunction, fingerprint, s);
        }
    }

    /**
     * RFC 4568 crypto lines, in the sender's preference order.
     *
     * @param crypto the lines (copied)
     */
    record Sdes(List<SdesCrypto> crypto) implements Security {
        public Sdes {
            crypto = crypto == null ? List.of() : List.copyOf(crypto);
        }
    }

    /** Plain RTP (RTP/AVP), no protection. */
    record Plain() implements Security {
    }

    /** "DTLS-SRTP", "SDES-SRTP", "plain RTP": for messages. */
    static String describe(Security s) {
        Objects.requireNonNull(s);
        if (s instanceof Dtls d) {
            return d.fingerprint() == null ? "DTLS without a fingerprint" : "DTLS-SRTP";
        }
        return s instanceof Sdes ? "SDES-SRTP" : "plain RTP";
    }
}
