/**
 * The adaptive jitter buffer (NetEq-like) and its time-stretching.
 *
 * <p>Spec: RFC 3550 timestamps and sequence numbers for placement; delay model after WebRTC NetEq
 * (target delay from a high quantile of recent relative arrival delays; acceleration and expansion
 * by removing or inserting pitch periods, WSOLA-style, instead of dropping frames); FEC before PLC as
 * in RFC 6716 / RFC 7587 in-band FEC.
 *
 * <p>Threads: {@code put} runs on the media network thread, {@code get} on the audio thread; they
 * meet only in a preallocated single-producer/single-consumer ring
 * ({@link org.openzoep.media.SpscPacketRing}). The audio thread owns the decoder and the
 * package-private parts behind {@code JitterBuffer}: {@code Playout} (placement and the per-frame
 * decode/FEC/conceal decision), {@code ReorderStore}, {@code DelayEstimator} (target delay),
 * {@code StretchController} (accelerate/expand towards the target, through {@code TimeStretcher}),
 * {@code PcmFifo} and {@code JitterStats}; it takes no lock and allocates nothing.
 *
 * <p>Buffers: {@code put} borrows the packet and copies its payload into the ring; PCM arrays passed
 * to {@code get} are borrowed.
 */
package org.openzoep.media.jitter;
