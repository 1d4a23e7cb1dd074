package org.openzoep.media.path;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.openzoep.media.srtp.DtlsCertificate;

/**
 * What every media path of an engine shares.
 *
 * <p>Immutable; any thread.
 *
 * @param group the engine's event loops (sockets, ICE, SRTP, RTCP)
 * @param channelType the datagram channel class matching {@code group} (NIO or epoll)
 * @param certificate our DTLS certificate; its fingerprint goes into every offer and answer
 * @param dtlsExecutor the bounded pool the blocking DTLS handshakes run on; when it refuses a
 *     handshake (full), the path fails with {@link MediaPath.PathFailure#OVERLOADED}
 * @param closeExecutor where closes that may wait run (removing a member waits for a frame in
 *     progress; native codec closes): never an event loop, and it must not refuse work while the
 *     engine runs (a queue, not the DTLS pool: a full pool must not delay or skip a close)
 * @param dtlsThreads the DTLS pool's size, for the message when it is full
 * @param hostAddresses the addresses to gather host candidates on (or bind plain UDP to); empty:
 *     the machine's interfaces
 * @param hostCandidates whether host candidates are signalled (false: server-reflexive only)
 */
public record MediaResources(EventLoopGroup group, Class<? extends DatagramChannel> channelType,
        DtlsCertificate certificate, Executor dtlsExecutor, Executor closeExecutor, int dtlsThreads, List<InetAddress> hostAddresses,
        boolean hostCandidates) {

    public MediaResources {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(dtlsExecutor, "dtlsExecutor");
        Objects.requireNonNull(closeExecutor, "closeExecutor");
        hostAddresses = hostAddresses == null ? List.of() : List.copyOf(hostAddresses);
    }
}
