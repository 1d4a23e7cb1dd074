/**
 * The codec contract ({@link org.openzoep.media.codec.AudioEncoder},
 * {@link org.openzoep.media.codec.AudioDecoder}) and sample-rate conversion
 * ({@link org.openzoep.media.codec.Resampler}); implementations in {@code opus} (RFC 6716, RFC 7587)
 * and {@code g711} (ITU-T G.711, RFC 3551).
 *
 * <p>Thread: every encoder, decoder and resampler instance is confined to one thread (the audio
 * thread or the media thread that decodes); none is thread-safe.
 *
 * <p>Buffers: PCM and payload arrays are borrowed for the duration of a call and never kept; the
 * caller owns them. Nothing on the per-frame path allocates.
 */
package org.openzoep.media.codec;
