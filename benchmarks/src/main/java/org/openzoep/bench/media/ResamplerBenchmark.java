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

/**
 * Resampling of one 10 ms frame between the device/codec rates the engine meets. {@link #main}
 * reports the same as thread CPU time (minimum over rounds), for shared, loaded machines.
 */
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

    /** {@code java -cp benchmarks/target/benchmarks.jar org.openzoep.bench.media.ResamplerBenchmark}: a Markdown table. */
    public static void main(String[] args) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.println("| conversion | taps | CPU ns per 10 ms frame |");
        System.out.println("|---|---|---|");
        for (String c : new String[] {"8000>48000", "16000>48000", "44100>48000", "48000>8000", "48000>16000"}) {
            ResamplerBenchmark b = new ResamplerBenchmark();
            b.conversion = c;
            b.setUp();
            double best = Double.MAX_VALUE;
            long sink = 0;
            for (int r = 0; r < 8; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < 20_000; i++) {
                    sink += b.resample();
                }
                double ns = (double) (mx.getCurrentThreadCpuTime() - t0) / 20_000;
                if (r > 0) {
                    best = Math.min(best, ns);
                }
            }
            System.out.printf(java.util.Locale.ROOT, "| %s | %d | %.0f |%s%n", c, b.resampler.taps(), best, sink == 42 ? " " : "");
        }
    }
}
