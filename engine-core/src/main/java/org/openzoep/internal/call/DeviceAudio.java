package org.openzoep.internal.call;

import org.openzoep.media.device.AudioLoop;
import org.openzoep.media.device.FrameSizeAdapter;
import org.openzoep.media.device.portaudio.PortAudio;
import org.openzoep.media.device.portaudio.PortAudioDevice;
import org.openzoep.media.session.Conference;

/**
 * A call on a sound device: PortAudio capture and playback, paced by the device, driven by one
 * {@link AudioLoop} (the device's audio thread). Each joined 20 ms capture frame runs the call's
 * {@link Conference}; what it produces is played in the next two device periods.
 *
 * <p>Thread: {@link #open} and {@link #close} on an API thread (PortAudio calls block); the loop
 * owns everything else.
 */
final class DeviceAudio {
    private final PortAudio portAudio;
    private final PortAudioDevice device;
    private final AudioLoop loop;
    private final Conference conference;

    private DeviceAudio(PortAudio pa, PortAudioDevice device, AudioLoop loop, Conference conference) {
        this.portAudio = pa;
        this.device = device;
        this.loop = loop;
        this.conference = conference;
    }

    /** Opens the devices by name or index ("default" for the defaults) and starts the loop. */
    static DeviceAudio open(String capture, String playback, Conference conference) {
        PortAudio pa = PortAudio.initialize();
        try {
            PortAudio.DeviceInfo in = "default".equals(capture) ? pa.defaultInput() : pa.find(capture);
            PortAudio.DeviceInfo out = "default".equals(playback) ? pa.defaultOutput() : pa.find(playback);
            PortAudioDevice dev = pa.open(in, out, 0);
            short[] pending = new short[conference.frameSamples()];
            FrameSizeAdapter adapter = new FrameSizeAdapter(conference.frameSamples(),
                    (pcm, off) -> conference.process(pcm, off, pending, 0),
                    (dst, off) -> System.arraycopy(pending, 0, dst, off, pending.length));
            AudioLoop loop = new AudioLoop(dev, adapter, adapter);
            loop.start();
            return new DeviceAudio(pa, dev, loop, conference);
        } catch (RuntimeException e) {
            pa.close();
            throw e;
        }
    }

    Conference conference() {
        return conference;
    }

    void close() {
        try {
            loop.stop(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.close();
        device.close();
        portAudio.close();
    }
}
