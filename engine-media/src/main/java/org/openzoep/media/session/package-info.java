/**
 * A media session: the pipeline capture, encode, RTP send, and RTP receive, jitter buffer, decode,
 * mix, playback, with RTCP (RFC 3550), rtcp-mux (RFC 5761), RFC 6464 levels and RFC 4733 DTMF.
 *
 * <p>Threads: the audio thread calls {@code captureFrame} and {@code playbackFrame} (it owns the
 * encoder, the decoder inside the jitter buffer and the mixer; it takes no lock and allocates
 * nothing). Everything on the network side (RTP/RTCP parse and send, jitter-buffer {@code put},
 * RTCP timers) runs on the transport's event loop. They meet in two preallocated SPSC rings: the
 * jitter buffer's (network to audio) and the outbound one (audio to network).
 *
 * <p>Buffers: the audio thread's PCM arrays are borrowed; encoded payloads are copied into the
 * outbound ring; packet buffers are allocated from the channel's pooled allocator on the event loop
 * and handed (ownership) to the transport.
 */
package org.openzoep.media.session;
