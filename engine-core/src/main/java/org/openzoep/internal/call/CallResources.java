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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openzoep.ZoepEngine;
import org.openzoep.media.clock.FrameClock;
import org.openzoep.media.path.MediaResources;
import org.openzoep.media.srtp.DtlsCertificate;

/**
 * What every call of an engine shares: the media paths' {@link MediaResources} (event loops, one
 * DTLS certificate whose fingerprint goes into every offer, a bounded pool for the blocking DTLS
 * handshakes: one thread per handshake in progress, none when idle, at most {@code dtlsThreads};
 * a handshake beyond that ends its call as {@code overloaded}), a close executor for the work of
 * ending a call that may wait (removing a member waits for a frame in progress, native codec
 * closes, finishing a WAV recording: at most as many threads as cores, made on demand, none when
 * idle, with a queue, so a full DTLS pool never delays or skips a close and no close runs on an
 * event loop or the API executor) and the one {@link FrameClock} (threads = cores) that runs
 * every call's conference. No thread lives as long as a call.
 *
 * <p>Thread: safe; the certificate and the clock are made on first use.
 */
public final class CallResources implements AutoCloseable {

    /** Frame of every call's conference and of the clock. */
    static final int FRAME_MILLIS = 20;

    /** Call timing and addressing, from the engine's builder. */
    public record Settings(Duration ringTimeout, Duration answerTimeout, Duration setupTimeout,
            List<InetAddress> mediaAddresses, boolean hostCandidates, int audioThreads, int dtlsThreads,
            String threadPrefix) {
    }

    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelType;
    private final Settings settings;
    private final ExecutorService dtls;
    private final ThreadPoolExecutor closer;
    private volatile MediaResources media;
    private volatile FrameClock clock;
    private final Set<CompletableFuture<?>> releasing = ConcurrentHashMap.newKeySet();
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
        int closers = Runtime.getRuntime().availableProcessors();
        this.closer = new ThreadPoolExecutor(closers, closers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(settings.threadPrefix() + "-close", true));
        this.closer.allowCoreThreadTimeOut(true);
    }

    public EventLoopGroup group() {
        return group;
    }

    public Settings settings() {
        return settings;
    }

    /** What the media paths share; the DTLS certificate is generated on first use. */
    public MediaResources media() {
        MediaResources m = media;
        if (m == null) {
            synchronized (this) {
                m = media;
                if (m == null) {
                    m = new MediaResources(group, channelType, DtlsCertificate.generate(), dtls, closer,
                            settings.dtlsThreads(), settings.mediaAddresses(), settings.hostCandidates());
                    media = m;
                }
            }
        }
        return m;
    }

    /** The media clock, started on first use; null once the engine stops. */
    public FrameClock clock() {
        FrameClock c = clock;
        if (c == null) {
            synchronized (this) {
                c = clock;
                if (c == null && !closed) {
                    c = new FrameClock(settings.audioThreads(), FRAME_MILLIS, settings.threadPrefix() + "-audio-");
                    clock = c;
                }
            }
        }
        return c;
    }

    /** Samples per frame at 48 kHz. */
    static int frameSamples() {
        return 48 * FRAME_MILLIS;
    }

    /** An ended call's closing of paths, devices and recordings: {@link #close} waits for it. */
    void releasing(CompletableFuture<?> closing) {
        releasing.add(closing);
        closing.whenComplete((v, e) -> releasing.remove(closing));
    }

    /**
     * Where a call's closes that may wait run: the close executor (never an event loop or the
     * API; not the DTLS pool, whose refusal when full would skip the close).
     */
    ExecutorService blockingExecutor() {
        return closer;
    }

    /** The clock's counters; zeros before the first call started it. */
    public ZoepEngine.AudioStats audioStats() {
        FrameClock c = clock;
        return c == null ? new ZoepEngine.AudioStats(0, 0, 0, 0)
                : new ZoepEngine.AudioStats(c.calls(), c.frames(), c.missedDeadlines(), c.maxFrameNanos() / 1000);
    }

    /** Resets the clock's counters (for measurements). */
    public void resetAudioStats() {
        FrameClock c = clock;
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
        } catch (ExecutionException | TimeoutException e) {
            // a close that failed or hangs is not waited for longer
        }
        if (clock != null) {
            clock.close();
        }
        dtls.shutdown();
        closer.shutdown();
        try {
            if (!dtls.awaitTermination(2, TimeUnit.SECONDS)) {
                dtls.shutdownNow();
            }
            closer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
