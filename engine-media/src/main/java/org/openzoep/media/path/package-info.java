/**
 * The media path of one call leg, built from a negotiated description and knowing nothing of
 * XMPP or SIP: {@link org.openzoep.media.path.MediaPath} joins a transport (ICE, RFC 8445, or plain
 * UDP), a security layer (DTLS-SRTP RFC 5763/5764, SDES-SRTP RFC 4568/3711, or none) and a codec
 * chain ({@link org.openzoep.media.path.CodecFactory}: Opus RFC 7587, G.711) in a
 * {@code MediaSession} (RTP RFC 3550, RTCP, RFC 4733 events) that it adds to the call's
 * {@code Conference}.
 *
 * <p>Threads: each path's state is confined to one event loop of the engine's group, where its
 * listener is called; public methods hop there from any thread. Removing a member from the
 * conference and closing codecs run on the engine's close executor
 * ({@link org.openzoep.media.path.MediaResources#closeExecutor}: it may wait for a frame in
 * progress, so never on an event loop); the blocking DTLS handshakes take a thread of the bounded
 * DTLS pool, and a path whose handshake the full pool refuses fails with {@code OVERLOADED}.
 * Buffers: none cross this package; the transport, SRTP and session layers own theirs.
 */
package org.openzoep.media.path;
