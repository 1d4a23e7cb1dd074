package org.openzoep.call;

import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSource;

/** Plays a PCM array once (10 ms frames, 48 kHz), then silence; counts frames read. */
final class PcmSource implements AudioSource {
    private final short[] pcm;
    private volatile int position;

    PcmSource(short[] pcm) {
        this.pcm = pcm;
    }

    @Override
    public int read(short[] frame, int offset) {
        int n = AudioDevice.FRAME_SAMPLES;
        int p = position;
        for (int i = 0; i < n; i++) {
            frame[offset + i] = p + i < pcm.length ? pcm[p + i] : 0;
        }
        position = p + n;
        return n;
    }

    boolean finished() {
        return position >= pcm.length;
    }
}
