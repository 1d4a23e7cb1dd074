package org.openzoep.media.srtp;

/**
 * Which end of the DTLS handshake this side plays. From the signalled setup attribute (RFC 4145,
 * RFC 5763 section 5; XEP-0320 {@code setup}): {@code active} is {@link #CLIENT},
 * {@code passive} is {@link #SERVER}.
 */
public enum DtlsRole {
    /** Sends the ClientHello (setup "active"). */
    CLIENT,
    /** Waits for the ClientHello (setup "passive"). */
    SERVER
}
