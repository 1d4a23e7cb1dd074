/**
 * WAV files (RIFF WAVE, 16-bit PCM, Microsoft's 1991 multimedia format) as an
 * {@link org.openzoep.media.device.AudioSource} and an {@link org.openzoep.media.device.AudioSink}
 * of 10 ms, 48 kHz mono frames. Other rates are resampled on load, stereo is mixed down.
 *
 * <p>Thread: a source or sink is used by one thread at a time (usually the audio thread of a
 * {@link org.openzoep.media.device.virtual.VirtualDevice}); opening and closing happen on the
 * owner's thread.
 *
 * <p>Buffers: a {@link org.openzoep.media.device.wav.WavSource} holds the whole file as PCM in
 * memory (about 5.8 MB a minute), so reading a frame never touches the disk; a
 * {@link org.openzoep.media.device.wav.WavSink} writes each frame through a preallocated direct
 * buffer (one {@code write} system call per frame, normally absorbed by the page cache).
 */
package org.openzoep.media.device.wav;
