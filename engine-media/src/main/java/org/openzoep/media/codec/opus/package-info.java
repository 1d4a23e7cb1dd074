/**
 * Opus (RFC 6716) through libopus, payload format RFC 7587 (RTP clock always 48 kHz).
 *
 * <p>Binding: {@link org.openzoep.media.codec.opus.OpusNative} is a hand-written JNA <em>direct</em>
 * mapping ({@code Native.register}) of the handful of libopus functions the engine uses, with
 * every pointer passed as a {@code long} address into native memory preallocated per codec
 * instance: no per-call marshalling objects, no Java allocation per frame. The system libopus
 * (Debian {@code libopus0}, 1.3.x) is preferred; the copy bundled in opus-java's natives jar
 * (1.1.2) is the fallback. {@link org.openzoep.media.codec.opus.OpusLibraryInfo} reports which one
 * was loaded and its {@code opus_get_version_string}.
 *
 * <p>Thread: an {@link org.openzoep.media.codec.opus.OpusEncoder} or
 * {@link org.openzoep.media.codec.opus.OpusDecoder} is confined to the one thread that codes with
 * it (the audio thread, or the media thread that feeds a jitter buffer); they are not thread-safe.
 * {@code setExpectedLossPercent} is the exception: it may be called from the RTCP thread and is
 * applied by the coding thread before its next frame.
 *
 * <p>Buffers: PCM and payload arrays passed in are borrowed for the duration of the call; the
 * codecs own their native memory and free their libopus state on {@code close()}.
 */
package org.openzoep.media.codec.opus;
