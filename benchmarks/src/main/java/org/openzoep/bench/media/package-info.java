/**
 * JMH benchmarks of the media engine's per-packet and per-frame paths: RTP parse and serialize,
 * jitter buffer put/get, conference mixing. Run with {@code -prof gc}: the target is 0 B/op.
 */
package org.openzoep.bench.media;
