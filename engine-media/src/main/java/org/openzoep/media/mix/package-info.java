/**
 * The conference mixer: every call is a conference. Sums in 32 bits, gives each participant the mix
 * minus its own voice (N-1), mixes at most the three loudest active speakers (chosen by their
 * RFC 6464 client-to-mixer audio levels, or by measured energy when a stream carries none), applies
 * per-participant mute and gain, and ends in one limiter per output that cannot wrap around.
 *
 * <p>Thread: a {@link org.openzoep.media.mix.Mixer} and its participants are confined to the one
 * thread that mixes (the audio thread); adding and removing participants happens there too.
 * {@link org.openzoep.media.mix.Mixer#mix()} allocates nothing.
 *
 * <p>Buffers: PCM arrays belong to the mixer; callers fill {@code input()} and read {@code output()}
 * between calls to {@code mix()}.
 */
package org.openzoep.media.mix;
