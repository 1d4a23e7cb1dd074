/**
 * The session description and offer/answer negotiation, neutral between signallings.
 *
 * <p>Specs: RFC 3264 (offer/answer), RFC 8866 (SDP), RFC 4317 (offer/answer examples), RFC 3551
 * (static payload types), RFC 4733 (telephone-event), RFC 5761 (rtcp-mux), RFC 5763/8122 (DTLS
 * fingerprint and setup), RFC 4568 (SDES), RFC 8839 (ICE in SDP); XEP-0166/0167/0176/0320 (Jingle
 * RTP, ICE-UDP, DTLS). A Jingle signaller and an SDP signaller both map to
 * {@link org.openzoep.media.description.SessionDescription}; {@link org.openzoep.media.description.OfferAnswer}
 * applies the rules once and yields a {@link org.openzoep.media.description.Negotiated}, the input of
 * {@code org.openzoep.media.path.MediaPath}. An answer carries our own format parameters only: what
 * the offerer sent and we did not understand is never echoed.
 *
 * <p>Threads: immutable values and pure functions, usable from any thread (in practice the call's
 * serial executor). Buffers: none cross this package.
 */
package org.openzoep.media.description;
