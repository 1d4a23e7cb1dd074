package org.openzoep.bench.media;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openzoep.media.mix.Mixer;

/** One 20 ms frame (960 samples at 48 kHz) mixed for N participants: top-3 selection, N-1, limiter. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MixerBenchmark {

    @Param({"3", "10", "50"})
    public int participants;

    private Mixer mixer;
    private Mixer.Participant[] p;
    private int frame;

    @Setup
    public void setUp() {
        mixer = new Mixer(participants, 960);
        p = new Mixer.Participant[participants];
        for (int i = 0; i < participants; i++) {
            p[i] = mixer.add();
            short[] in = p[i].input();
            for (int s = 0; s < in.length; s++) {
                in[s] = (short) (12000 * Math.sin(2 * Math.PI * (200 + 37 * i) * s / 48000.0));
            }
        }
    }

    @Benchmark
    public short mix() {
        int f = frame++;
        for (int i = 0; i < participants; i++) {
            // levels from RFC 6464 headers; the loudest three rotate every frame
            p[i].setFrame((i * 7 + f) % 100, true);
        }
        mixer.mix();
        return p[0].output()[100];
    }
}
