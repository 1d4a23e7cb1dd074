/**
 * G.711 (ITU-T G.711, 1988) PCMU (mu-law) and PCMA (A-law), hand-written; RTP payload types 0 and 8,
 * 8 kHz clock (RFC 3551 section 4.5.14).
 *
 * <p>Thread: {@link org.openzoep.media.codec.g711.G711} is stateless (immutable tables);
 * encoders and decoders are confined to their coding thread (the decoder keeps concealment
 * history).
 *
 * <p>Buffers: arrays passed in are borrowed for the call; nothing is allocated per frame.
 */
package org.openzoep.media.codec.g711;
