package org.openzoep.bench.media;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openzoep.media.codec.Resampler;

/** Resampling of one 10 ms frame between the device/codec rates the engine meets. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ResamplerBenchmark {

    @Param({"8000>48000", "16000>48000", "44100>48000", "48000>8000", "48000>16000"})
    public String conversion;

    private Resampler resampler;
    private short[] in;
    private short[] out;

    @Setup
    public void setUp() {
        String[] rates = conversion.split(">");
        int from = Integer.parseInt(rates[0]);
        int to = Integer.parseInt(rates[1]);
        int frame = from / 100;
        resampler = new Resampler(from, to, frame);
        in = new short[frame];
        for (int i = 0; i < frame; i++) {
            in[i] = (short) (10000 * Math.sin(2 * Math.PI * 440 * i / from));
        }
        out = new short[resampler.maxOutput(frame)];
    }

    @Benchmark
    public int resample() {
        return resampler.process(in, 0, in.length, out, 0);
    }
}
