package org.openzoep.xmpp.session;

/**
 * Where a client stream is, from the TCP connection to its end (RFC 6120 §4–§7). Moves only
 * forward; {@link StreamNegotiator} owns it.
 *
 * <pre>
 * CONNECTING ─► OPENING ─► STARTTLS ─► OPENING ─► AUTHENTICATING ─► OPENING ─► BINDING ─► ONLINE
 *                  (features)  (proceed: TLS)  (features)   (success: restart)  (features)  (bind result)
 *     any ─► CLOSING (our close, an abort, a stream error) ─► CLOSED (channel inactive)
 * </pre>
 */
enum NegotiationState {
    /** TCP (and Direct TLS) being set up; our stream header not yet sent. */
    CONNECTING,
    /** Our stream header sent; waiting for the server's {@code <stream:features/>}. */
    OPENING,
    /** {@code <starttls/>} sent (RFC 6120 §5); waiting for {@code <proceed/>}. */
    STARTTLS,
    /** SASL exchange under way (RFC 6120 §6). */
    AUTHENTICATING,
    /** Resource binding (RFC 6120 §7), and the legacy session iq if the server requires it. */
    BINDING,
    // XEP-0198 stream management (a later issue): enabling or resuming goes here, between
    // BINDING and ONLINE, negotiated from the same post-SASL features.
    /** Negotiated: stanzas flow both ways. */
    ONLINE,
    /** Our end of the stream is closing (graceful close, abort or stream error). */
    CLOSING,
    /** The connection is gone. */
    CLOSED
}
