/**
 * Sound hardware through PortAudio v19 (Debian {@code libportaudio2}), bound by a hand-written JNA
 * direct mapping of its C API ({@code portaudio.h}): host APIs and devices listed, a device chosen
 * by name or index, opened at 48 kHz mono 16-bit with 10 ms buffers, and driven with the blocking
 * {@code Pa_ReadStream}/{@code Pa_WriteStream} calls from the audio thread. PortAudio never calls
 * back into Java: there is no JNA callback per period.
 *
 * <p>Thread: {@link org.openzoep.media.device.portaudio.PortAudio} (initialise, enumerate, open)
 * is used by the owner's thread, never a Netty event loop (its calls block and touch drivers);
 * a {@link org.openzoep.media.device.portaudio.PortAudioDevice} streams on its audio thread only.
 *
 * <p>Buffers: each device preallocates its native capture and playback buffers (one 10 ms frame
 * each) and the stream parameter structs; per period, samples are copied between those and the
 * loop's borrowed Java frames, nothing is allocated.
 *
 * <p>Limits: LP64 platforms only (Linux, macOS): C {@code unsigned long} arguments are mapped as
 * Java {@code long}. Without {@code libportaudio2} every entry point throws an
 * {@link org.openzoep.media.device.AudioDeviceException} naming the package; file and virtual
 * devices are unaffected.
 */
package org.openzoep.media.device.portaudio;
