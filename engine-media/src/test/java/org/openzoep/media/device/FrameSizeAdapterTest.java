package org.openzoep.media.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;
import org.openzoep.media.device.virtual.VirtualDevice;
import org.openzoep.media.testsupport.AudioFixtures;
import org.openzoep.media.testsupport.Await;

class FrameSizeAdapterTest {

    @Test
    void joinsAndSplitsFramesInOrder() {
        List<short[]> joined = new ArrayList<>();
        int[] counter = {0};
        FrameSizeAdapter a = new FrameSizeAdapter(960, (pcm, off) -> joined.add(java.util.Arrays.copyOfRange(pcm, off, off + 960)),
                (out, off) -> {
                    for (int i = 0; i < 960; i++) {
                        out[off + i] = (short) (counter[0] * 1000 + i);
                    }
                    counter[0]++;
                });
        short[] f = new short[480];
        for (int k = 0; k < 4; k++) {
            java.util.Arrays.fill(f, (short) k);
            a.write(f, 0);
        }
        assertThat(joined).hasSize(2);
        assertThat(joined.get(0)[0]).isEqualTo((short) 0);
        assertThat(joined.get(0)[959]).isEqualTo((short) 1);
        assertThat(joined.get(1)[480]).isEqualTo((short) 3);
        short[] out = new short[480];
        a.read(out, 0);
        assertThat(out[0]).isEqualTo((short) 0);
        a.read(out, 0);
        assertThat(out[0]).isEqualTo((short) 480);
        a.read(out, 0);
        assertThat(out[0]).isEqualTo((short) 1000);
        assertThat(counter[0]).isEqualTo(2);
        assertThatThrownBy(() -> new FrameSizeAdapter(1000, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void drivesA20MillisecondOpusLoopbackFromThe10MillisecondAudioLoop() throws Exception {
        short[] speech = AudioFixtures.speech(48000);
        int frames10 = 200;
        short[] input = java.util.Arrays.copyOf(speech, frames10 * 480);
        short[] output = new short[input.length];
        OpusEncoder enc = OpusEncoder.builder().build();
        OpusDecoder dec = new OpusDecoder();
        byte[] packet = new byte[1500];
        int[] packetLength = {-1};
        int[] written = {0};
        int[] inPos = {0};
        // Capture encodes a 20 ms frame; playback decodes the last packet (one frame of delay through the loop).
        FrameSizeAdapter adapter = new FrameSizeAdapter(960, (pcm, off) -> packetLength[0] = enc.encode(pcm, off, packet, 0, packet.length),
                (out, off) -> {
                    int n = packetLength[0] > 0 ? dec.decode(packet, 0, packetLength[0], out, off, 960) : dec.conceal(out, off, 960);
                    assertThat(n).isEqualTo(960);
                });
        AudioSource source = (f, o) -> {
            if (inPos[0] >= input.length) {
                return 0;
            }
            System.arraycopy(input, inPos[0], f, o, 480);
            inPos[0] += 480;
            return 480;
        };
        AudioSink sink = (f, o) -> {
            if (written[0] < output.length) {
                System.arraycopy(f, o, output, written[0], 480);
                written[0] += 480;
            }
            return 480;
        };
        VirtualDevice device = VirtualDevice.unpaced("virtual", source, sink);
        AudioLoop loop = new AudioLoop(device, adapter, adapter);
        loop.start();
        Await.until("200 periods", java.time.Duration.ofSeconds(20), () -> loop.periods() >= frames10 + 4);
        assertThat(loop.stop(5000)).isTrue();
        enc.close();
        dec.close();
        int lag = AudioFixtures.bestLag(input, output, 9600, input.length - 19200, 0, 2400);
        double c = AudioFixtures.correlation(input, output, 9600, input.length - 19200, lag);
        System.out.printf("10 ms loop -> 20 ms Opus -> 10 ms loop: delay %d samples, correlation %.3f%n", lag, c);
        assertThat(c).isGreaterThan(0.8);
    }
}
