package org.openzoep.call;

import java.util.Arrays;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;

/** Records what a call plays into a preallocated array (no allocation on the audio thread). */
final class PcmRecorder implements AudioSink {
    private final short[] pcm;
    private volatile int length;

    PcmRecorder(int maxSamples) {
        this.pcm = new short[maxSamples];
    }

    @Override
    public int write(short[] frame, int offset) {
        int n = AudioDevice.FRAME_SAMPLES;
        int l = length;
        if (l + n <= pcm.length) {
            System.arraycopy(frame, offset, pcm, l, n);
            length = l + n;
        }
        return n;
    }

    short[] recorded() {
        return Arrays.copyOf(pcm, length);
    }
}
