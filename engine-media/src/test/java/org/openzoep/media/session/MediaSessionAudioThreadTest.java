package org.openzoep.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;

/** The audio thread's side of a live session (Opus, UDP on loopback) allocates nothing per frame. */
class MediaSessionAudioThreadTest {

    @Test
    void captureAndPlaybackAllocateNothing() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (OpusEncoder encA = OpusEncoder.builder().build();
                OpusEncoder encB = OpusEncoder.builder().build();
                OpusDecoder decA = new OpusDecoder();
                OpusDecoder decB = new OpusDecoder()) {
            MediaSession a = MediaSession.builder(group, any, any, encA, decA).random(new SplittableRandom(1))
                    .start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            MediaSession b = MediaSession.builder(group, any, a.localAddress(), encB, decB)
                    .random(new SplittableRandom(2)).start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.remoteAddress(b.localAddress());
            short[] in = new short[960];
            short[] out = new short[960];
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            long before = 0;
            int frames = 3000;
            for (int k = 0; k < 2 * frames; k++) {
                if (k == frames) {
                    before = mx.getThreadAllocatedBytes(tid);
                }
                for (int i = 0; i < in.length; i++) {
                    in[i] = (short) (8000 * Math.sin(2 * Math.PI * 220 * (k * 960 + i) / 48000.0));
                }
                a.captureFrame(in, 0);
                b.captureFrame(in, 0);
                a.playbackFrame(out, 0);
                b.playbackFrame(out, 0);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            System.out.printf("audio thread: %d bytes allocated over %d frames of two sessions%n", allocated, frames);
            // Netty's task queue (a chunked MPSC array) may allocate a chunk now and then when the
            // audio thread wakes the event loop; nothing else may allocate: under a byte per frame
            assertThat(allocated).isLessThan(frames);
            a.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            b.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
