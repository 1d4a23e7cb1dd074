/**
 * SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 suite, keyed by DTLS-SRTP
 * (RFC 5763, RFC 5764) as XEP-0320 signals it; inbound demultiplexing by first byte (RFC 7983).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link org.openzoep.media.srtp.SrtpContext}: one direction's crypto context for every SSRC
 *       of it. Session keys are derived once (RFC 3711 section 4.3, key derivation rate 0); the
 *       AES counter-mode keystream (section 4.1.1) comes from one reused {@code AES/ECB/NoPadding}
 *       {@link javax.crypto.Cipher} over counter blocks laid out in a preallocated array, the tag
 *       from one reused BouncyCastle {@code HMac(SHA1Digest)} (bcprov, already under bctls): the
 *       JDK's {@code Mac.doFinal} allocates its digest on every call, BouncyCastle's does not. The packet is copied into a
 *       scratch array, transformed there and written back, so heap and direct buffers take the
 *       same path and nothing is allocated per packet (the scratch grows only for a packet larger
 *       than any before). Index estimation and the rollover counter follow section 3.3.1; each
 *       SSRC has a 128-packet replay window for SRTP and another for the SRTCP index (section
 *       3.3.2). State for an SSRC is created only once a packet of it authenticates.</li>
 *   <li>{@link org.openzoep.media.srtp.DtlsCertificate}: a self-signed ECDSA P-256 certificate per
 *       engine, and the SDP / XEP-0320 fingerprint format (RFC 8122 section 5).</li>
 *   <li>{@link org.openzoep.media.srtp.SrtpTransport}: a
 *       {@link org.openzoep.media.transport.MediaTransport} over a raw
 *       {@link org.openzoep.media.transport.PacketTransport}: runs DTLS 1.2 with use_srtp
 *       (SRTP_AES128_CM_HMAC_SHA1_80), both certificates required and checked against the signalled
 *       fingerprints, keys from the "EXTRACTOR-dtls_srtp" exporter (RFC 5764 section 4.2).</li>
 * </ul>
 *
 * <h2>DTLS with BouncyCastle</h2>
 * BouncyCastle's {@code DTLSClientProtocol}/{@code DTLSServerProtocol} block, so a handshake runs
 * as one task on the handshake executor the engine hands in (a shared bounded pool, never the
 * event loop; no thread per call). The event loop copies each inbound DTLS datagram into a
 * {@code byte[]} and offers it to a bounded queue that BouncyCastle's blocking {@code receive}
 * polls; what BouncyCastle sends is copied into a pooled buffer and handed to the path. Only the
 * cipher suites TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and _AES_256_GCM_SHA384 and only DTLS 1.2
 * are offered. The passive side does not send HelloVerifyRequest: the path was already verified
 * by ICE connectivity checks (RFC 8445), so the cookie round trip buys nothing here.
 *
 * <p>Crypto provider: {@code JcaTlsCrypto} (from {@code JcaTlsCryptoProvider}) over the JDK's own
 * providers (SunEC, SunJCE). Reasons: the certificate key is a JCA {@code PrivateKey} made by the
 * JDK, SRTP itself uses {@code javax.crypto}, so one crypto stack serves both; AES-GCM and SHA get
 * the JDK's intrinsics; and nothing needs {@code Security.addProvider}, which would be a global
 * mutable static. {@code BcTlsCrypto} would work equally but would need the key converted to
 * BouncyCastle's lightweight types.
 *
 * <p>After the handshake, DTLS datagrams keep being queued, and a short drain task on the
 * handshake executor feeds them to BouncyCastle's {@code DTLSTransport}: that lets it answer a
 * retransmitted final flight of the peer (our last flight was lost) and notice a close_notify,
 * which completes {@link org.openzoep.media.srtp.SrtpTransport#peerClosed()}. Application data
 * over DTLS is read and ignored (counted in {@code otherDropped}).
 *
 * <p>Limits: one master key per direction for the life of the transport (no re-keying, no MKI);
 * an SRTCP index past 2^31 wraps and is then refused by the peer's replay window (about 2^31 RTCP
 * packets, never reached in a call). A context remembers 32 SSRCs and forgets the least recently
 * used beyond that (losing its replay state). Cancelling a pending handshake stage aborts it; a failed
 * or cancelled handshake leaves the path open (the caller owns it) with a no-op receiver.
 *
 * <h2>Threads</h2>
 * An {@code SrtpContext} belongs to one event-loop thread (no locking). An {@code SrtpTransport}
 * protects and unprotects on its path's event loop: inbound packets arrive there, and
 * {@code send} from another thread hops onto it. DTLS runs on the handshake executor; what it
 * sends and hands back hops onto the path's event loop, and once that loop is gone (the engine
 * stopped mid-handshake) the handshake ends quietly as {@code CLOSED}. A handshake the executor
 * refuses (its bounded pool is full) fails at once as {@code OVERLOADED}.
 * {@code DtlsCertificate} is immutable and shared.
 *
 * <h2>Buffers</h2>
 * {@code SrtpContext} borrows every buffer: it transforms the bytes in place (and appends the tag
 * with {@code ensureWritable}). {@code SrtpTransport.send} takes ownership of the plaintext packet
 * and passes the same buffer, protected, to the path, which takes ownership. Inbound datagrams are
 * borrowed from the path for the call: SRTP is copied into a scratch buffer of the transport and
 * decrypted there (the path's buffer may be shared or read-only), and the
 * {@link org.openzoep.media.transport.MediaReceiver} borrows that plaintext for its call. DTLS
 * records are copied into {@code byte[]}; no Netty buffer is held across threads.
 *
 * <h2>Errors</h2>
 * Nothing is thrown per packet: malformed, unauthenticated, replayed and early packets are
 * dropped and counted. A failed handshake completes the stage with
 * {@link org.openzoep.media.srtp.SrtpHandshakeException} and its {@code Reason}.
 */
package org.openzoep.media.srtp;
