package org.openzoep.media.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameRingTest {

    @Test
    void fullAndEmptyAreCountedNotThrown() {
        FrameRing ring = new FrameRing(2, 4);
        short[] f = {1, 2, 3, 4};
        short[] g = new short[4];
        assertThat(ring.read(g, 0)).isZero();
        assertThat(ring.underruns()).isEqualTo(1);
        assertThat(ring.write(f, 0)).isEqualTo(4);
        f[0] = 9;
        assertThat(ring.write(f, 0)).isEqualTo(4);
        assertThat(ring.write(f, 0)).isZero();
        assertThat(ring.overruns()).isEqualTo(1);
        assertThat(ring.size()).isEqualTo(2);
        assertThat(ring.read(g, 0)).isEqualTo(4);
        assertThat(g).containsExactly(1, 2, 3, 4);
        assertThat(ring.read(g, 0)).isEqualTo(4);
        assertThat(g).containsExactly(9, 2, 3, 4);
    }

    @Test
    void framesCrossThreadsInOrderAndIntact() throws Exception {
        FrameRing ring = new FrameRing(4, 480);
        int frames = 200_000;
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            short[] f = new short[480];
            for (int i = 0; i < frames; i++) {
                java.util.Arrays.fill(f, (short) i);
                while (ring.write(f, 0) == 0) {
                    Thread.onSpinWait();
                }
            }
        });
        short[] g = new short[480];
        for (int i = 0; i < frames; i++) {
            while (ring.read(g, 0) == 0) {
                Thread.onSpinWait();
            }
            assertThat(g[0]).isEqualTo((short) i);
            assertThat(g[479]).isEqualTo((short) i);
        }
        producer.get(30, TimeUnit.SECONDS);
    }
}
