package org.openzoep.bench.media;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openzoep.media.codec.AudioDecoder;
import org.openzoep.media.jitter.JitterBuffer;

/**
 * Jitter buffer cost per 20 ms frame (one put, one get of 960 samples) with a trivial decoder, so
 * the figure is the buffer's own: hand-off ring, placement, delay estimate, time-stretch decisions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JitterBenchmark {

    /** Writes a ramp per frame (speech-like for the stretcher's pitch search would cost the same). */
    static final class RampDecoder implements AudioDecoder {
        @Override
        public int sampleRate() {
            return 48000;
        }

        @Override
        public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int maxSamples) {
            for (int i = 0; i < 960; i++) {
                pcm[pcmOffset + i] = (short) (payload[offset] * 50 + i);
            }
            return 960;
        }

        @Override
        public int decodeFec(byte[] payload, int offset, int length, short[] pcm, int pcmOffset, int frameSamples) {
            return decode(payload, offset, length, pcm, pcmOffset, frameSamples);
        }

        @Override
        public int conceal(short[] pcm, int pcmOffset, int frameSamples) {
            Arrays.fill(pcm, pcmOffset, pcmOffset + frameSamples, (short) 0);
            return frameSamples;
        }

        @Override
        public void close() {
        }
    }

    private JitterBuffer steady;
    private JitterBuffer lossy;
    private final byte[] payload = new byte[80];
    private final short[] out = new short[960];
    private int seqSteady;
    private int seqLossy;
    private final SplittableRandom random = new SplittableRandom(1);

    @Setup
    public void setUp() {
        steady = JitterBuffer.builder(new RampDecoder(), 48000).build();
        lossy = JitterBuffer.builder(new RampDecoder(), 48000).minDelayMs(40).build();
    }

    @Benchmark
    public short putGet() {
        int s = seqSteady++;
        payload[0] = (byte) s;
        steady.put(payload, 0, payload.length, s & 0xFFFF, s * 960, s * 20_000_000L);
        steady.get(out, 0, 960);
        return out[100];
    }

    /** 5% loss and up to 30 ms of arrival jitter: FEC, concealment and stretching paths included. */
    @Benchmark
    public short putGetWithLossAndJitter() {
        int s = seqLossy++;
        payload[0] = (byte) s;
        if (random.nextInt(20) != 0) {
            lossy.put(payload, 0, payload.length, s & 0xFFFF, s * 960, s * 20_000_000L + random.nextInt(30) * 1_000_000L);
        }
        lossy.get(out, 0, 960);
        return out[100];
    }
}
