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
import org.openzoep.media.codec.g711.G711;
import org.openzoep.media.codec.g711.G711Decoder;
import org.openzoep.media.codec.g711.G711Encoder;

/** G.711 encode and decode of one 20 ms frame (160 samples at 8 kHz), PCMU and PCMA. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class G711Benchmark {

    @Param({"PCMU", "PCMA"})
    public G711.Law law;

    private G711Encoder encoder;
    private G711Decoder decoder;
    private final short[] pcm = new short[160];
    private final short[] decoded = new short[160];
    private final byte[] payload = new byte[160];

    @Setup
    public void setUp() {
        encoder = new G711Encoder(law);
        decoder = new G711Decoder(law);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (12000 * Math.sin(2 * Math.PI * 440 * i / 8000) + (i * 7919 % 101) - 50);
        }
        encoder.encode(pcm, 0, payload, 0, payload.length);
    }

    @Benchmark
    public byte[] encode() {
        encoder.encode(pcm, 0, payload, 0, payload.length);
        return payload;
    }

    @Benchmark
    public short[] decode() {
        decoder.decode(payload, 0, payload.length, decoded, 0, decoded.length);
        return decoded;
    }
}
