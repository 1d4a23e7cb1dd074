/**
 * The packet paths of media. {@link org.openzoep.media.transport.MediaTransport} is what a media
 * session sends its plaintext RTP/RTCP over ({@code UdpTransport} here, {@code srtp.SrtpTransport}
 * for DTLS-SRTP); {@link org.openzoep.media.transport.PacketTransport} is the raw datagram path
 * under DTLS and SRTP (the ICE agent's selected pair).
 *
 * <p>UDP transport for RTP and RTCP on one port (rtcp-mux, RFC 5761) over Netty datagram channels,
 * on an event loop group handed in by the engine: no thread per call. Media is accepted only from
 * the negotiated remote address (RFC 3550 section 8.2 and the usual "no latching" rule); anything
 * else is dropped and counted.
 *
 * <p>Thread: each transport is bound to one event loop of the group; its handler and receiver
 * callbacks run there (the media network path). {@code send} may be called from any thread.
 *
 * <p>Buffers: inbound datagrams are released by the handler after the receiver callback, which only
 * borrows them; {@code send} takes ownership of the buffer it is given.
 */
package org.openzoep.media.transport;
