package org.openzoep.xmpp.tls;

/** How a client stream is encrypted. There is no unencrypted mode: credentials never travel in clear. */
public enum TlsMode {
    /** RFC 6120 §5: plain TCP, then STARTTLS, which the server must offer (else the login fails). */
    STARTTLS,
    /** XEP-0368: TLS from the first byte (service {@code _xmpps-client._tcp}, ALPN {@code xmpp-client}). */
    DIRECT_TLS
}
