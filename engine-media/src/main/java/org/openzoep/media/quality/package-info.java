/**
 * Call quality: per-stream statistics gathered from the RTP receiver, RTCP and the jitter buffer,
 * and an ITU-T G.107 E-model estimate (R-factor and MOS) from one-way delay, loss and its
 * burstiness (Ie,eff with Bpl and BurstR).
 *
 * <p>Thread: {@link org.openzoep.media.quality.StreamStats} snapshots are immutable and may be
 * taken on any thread (they read the volatile counters of the stages); {@link org.openzoep.media.quality.EModel}
 * is a pure function. No buffers cross this package.
 */
package org.openzoep.media.quality;
