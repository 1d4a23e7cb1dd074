package org.openzoep.bench.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openzoep.media.rtp.RtpPacket;
import org.openzoep.media.rtp.RtpReceiver;
import org.openzoep.media.rtp.RtpSender;

/** RTP parse (view + fields + RFC 6464 level; and the full receiver path) and serialize of an 80-byte Opus payload. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RtpBenchmark {

    private static final int OFFSET = 14; // as if behind an Ethernet header: a view at a non-zero offset

    private ByteBuf packet;
    private int length;
    private ByteBuf out;
    private final RtpPacket view = new RtpPacket();
    private RtpSender sender;
    private RtpReceiver receiver;
    private final byte[] payload = new byte[80];
    private int seq;

    @Setup
    public void setUp() {
        sender = new RtpSender(new SplittableRandom(1), 111, 48000, 1, false);
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        packet.writeZero(OFFSET);
        length = sender.writeAudio(packet, payload, 0, payload.length, 960, false, 30, true);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        receiver = new RtpReceiver(null, 48000);
    }

    @TearDown
    public void tearDown() {
        packet.release();
        out.release();
    }

    @Benchmark
    public long parse() {
        if (view.wrap(packet, OFFSET, length) != RtpPacket.Verdict.VALID) {
            return -1;
        }
        return view.sequenceNumber() + view.timestamp() + view.ssrc() + view.payloadType() + view.payloadOffset()
                + view.payloadLength() + view.audioLevel(1);
    }

    /** Parse plus A.1 sequence tracking and A.8 jitter, as on the network thread. */
    @Benchmark
    public boolean receive() {
        packet.setShort(OFFSET + 2, seq++);
        return receiver.receive(packet, OFFSET, length, seq * 20_000_000L);
    }

    @Benchmark
    public int serialize() {
        out.clear();
        return sender.writeAudio(out, payload, 0, payload.length, 960, false, 30, true);
    }
}
