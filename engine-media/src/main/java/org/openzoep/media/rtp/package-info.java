/**
 * RTP (RFC 3550, RFC 3551 audio profile): packet views, header extensions (RFC 8285 one-byte and
 * two-byte forms, RFC 6464 client-to-mixer audio level), the sender, the receiver with RFC 3550
 * A.1 sequence validation and SSRC collision handling, and RFC 4733 telephone events (DTMF).
 *
 * <p>Thread: {@link org.openzoep.media.rtp.RtpReceiver} and {@link org.openzoep.media.rtp.DtmfReceiver}
 * live on the media network path (one Netty event-loop thread); {@link org.openzoep.media.rtp.RtpSender}
 * and {@link org.openzoep.media.rtp.DtmfSender} on whichever single thread builds outgoing packets
 * (the event loop in {@code session}).
 *
 * <p>Buffers: views and receivers only borrow the {@code ByteBuf} they are given and never retain,
 * release or move its indices; writers borrow the output buffer and append at its writer index.
 * Malformed packets are never thrown for: they are dropped and counted.
 */
package org.openzoep.media.rtp;
