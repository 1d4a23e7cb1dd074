package org.openzoep.internal.call;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openzoep.ZoepEngine;
import org.openzoep.media.srtp.DtlsCertificate;

/**
 * What every call of an engine shares: the event loops (media sockets and timers), one DTLS
 * certificate (its fingerprint goes into every offer), a bounded pool for the blocking DTLS
 * handshakes (BouncyCastle's DTLS is blocking; never on an event loop: one thread per handshake in
 * progress, none when idle, at most {@code dtlsThreads}), and the audio clock (threads = cores).
 * No thread lives as long as a call.
 *
 * <p>Thread: safe; the certificate and the clock are made on first use.
 */
public final class CallResources implements AutoCloseable {

    /** Call timing and addressing, from the engine's builder. */
    public record Settings(Duration ringTimeout, Duration answerTimeout, Duration setupTimeout,
            List<InetAddress> mediaAddresses, boolean hostCandidates, int audioThreads, int dtlsThreads,
            String threadPrefix) {
    }

    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelType;
    private final Settings settings;
    private final ExecutorService dtls;
    private volatile DtlsCertificate certificate;
    private volatile AudioClock clock;
    private final java.util.Set<CompletableFuture<?>> releasing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private boolean closed;

    public CallResources(EventLoopGroup group, boolean epoll, Settings settings) {
        this.group = group;
        this.channelType = epoll && Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.settings = settings;
        // BouncyCastle's DTLS handshake blocks a thread until it ends: threads are made on demand,
        // up to the limit, and end when idle; a fixed pool with a queue would deadlock two engines
        // whose handshakes wait on each other behind a full queue
        this.dtls = new ThreadPoolExecutor(0, settings.dtlsThreads(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DefaultThreadFactory(settings.threadPrefix() + "-dtls", true));
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends DatagramChannel> channelType() {
        return channelType;
    }

    public Settings settings() {
        return settings;
    }

    public ExecutorService dtlsExecutor() {
        return dtls;
    }

    /** The engine's DTLS certificate, generated on first use. */
    public DtlsCertificate certificate() {
        DtlsCertificate c = certificate;
        if (c == null) {
            synchronized (this) {
                c = certificate;
                if (c == null) {
                    c = DtlsCertificate.generate();
                    certificate = c;
                }
            }
        }
        return c;
    }

    /** The audio clock that runs calls without a device of their own, started on first use. */
    public AudioClock clock() {
        AudioClock c = clock;
        if (c == null) {
            synchronized (this) {
                c = clock;
                if (c == null && !closed) {
                    c = new AudioClock(settings.audioThreads(), 20, settings.threadPrefix() + "-audio-");
                    clock = c;
                }
            }
        }
        return c;
    }

    /** An ended call's closing of codecs, devices and recordings: {@link #close} waits for it. */
    void releasing(CompletableFuture<?> closing) {
        releasing.add(closing);
        closing.whenComplete((v, e) -> releasing.remove(closing));
    }

    /** The clock's counters; zeros before the first call started it. */
    public ZoepEngine.AudioStats audioStats() {
        AudioClock c = clock;
        return c == null ? new ZoepEngine.AudioStats(0, 0, 0, 0)
                : new ZoepEngine.AudioStats(c.calls(), c.frames(), c.missedDeadlines(), c.maxFrameNanos() / 1000);
    }

    /** Resets the clock's counters (for measurements). */
    public void resetAudioStats() {
        AudioClock c = clock;
        if (c != null) {
            c.resetStats();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            // ended calls close their codecs and recordings (files get their final lengths)
            CompletableFuture.allOf(releasing.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a close that failed or hangs is not waited for longer
        }
        if (clock != null) {
            clock.close();
        }
        dtls.shutdown();
        try {
            if (!dtls.awaitTermination(2, TimeUnit.SECONDS)) {
                dtls.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
