package org.openzoep.xmpp.session;

/**
 * Where a client stream is, from the TCP connection to its end (RFC 6120 §4–§7). It lives in
 * {@link SessionContext}; {@link StreamNegotiator} moves it up to {@link #ONLINE},
 * {@link StreamLifecycleHandler} to {@link #CLOSING} and {@link #CLOSED}, from which it never returns.
 *
 * <pre>
 * CONNECTING ─► OPENING ─features─► STARTTLS ─proceed, TLS up─► OPENING          (no STARTTLS with Direct TLS)
 *            ─features─► AUTHENTICATING ─success, restart─► OPENING
 *            ─features─► BINDING ─bound (and session)─► ONLINE
 * any ─► CLOSING (our close, an abort, a stream error) ─► CLOSED (channel inactive)
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
