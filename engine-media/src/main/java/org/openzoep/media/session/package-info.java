/**
 * Media sessions and conferences. A {@link org.openzoep.media.session.MediaSession} is one
 * stream to one remote party: capture, encode, RTP send, and RTP receive, jitter buffer, decode,
 * with RTCP (RFC 3550), rtcp-mux (RFC 5761), RFC 6464 levels and RFC 4733 DTMF, over any
 * {@link org.openzoep.media.transport.MediaTransport} (plain UDP, or SRTP over an ICE pair). A
 * {@link org.openzoep.media.session.Conference} is one call's audio: a mixer with the local party
 * and its member sessions, each member sent everyone but itself (N-1).
 *
 * <p>Threads: the audio thread calls {@code Conference.process}, and through it the sessions'
 * {@code captureFrame} and {@code playbackFrame} (it owns the encoders, the decoders inside the
 * jitter buffers and the mixer; it takes no lock and allocates nothing). Everything on the network
 * side (RTP/RTCP parse and send, jitter-buffer {@code put}, RTCP timers) runs on the transport's
 * event loop. They meet in two preallocated SPSC rings: the jitter buffer's (network to audio) and
 * the outbound one (audio to network). Conference membership changes from any thread through an
 * atomic array of preallocated slots.
 *
 * <p>Buffers: the audio thread's PCM arrays are borrowed; encoded payloads are copied into the
 * outbound ring; packet buffers are allocated from the pooled allocator on the event loop and
 * handed (ownership) to the transport.
 */
package org.openzoep.media.session;
