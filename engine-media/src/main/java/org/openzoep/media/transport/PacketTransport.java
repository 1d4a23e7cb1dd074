package org.openzoep.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * A raw datagram path to one remote address, below DTLS and SRTP: the pair an ICE agent selected
 * (RFC 8445), or a plain socket in tests. Datagrams are neither classified nor transformed here;
 * the layer above demultiplexes them by first byte (RFC 7983).
 *
 * <p>Thread: the receiver is called on {@link #eventLoop()}; {@link #send} and
 * {@link #closeAsync} from any thread. Buffers: {@link #send} takes ownership; the receiver
 * borrows.
 */
public interface PacketTransport {

    EventLoop eventLoop();

    /** The remote this path sends to (for an ICE agent: the selected pair's remote candidate). */
    InetSocketAddress remoteAddress();

    /**
     * Sends one datagram; never throws (a failure is counted and the packet released).
     *
     * @param packet ownership taken
     */
    void send(ByteBuf packet);

    /** Sets who receives the inbound datagrams (other than the path's own, e.g. STUN). */
    void receiver(PacketReceiver receiver);

    /** Closes the path; completes when closed. Never blocks. */
    CompletionStage<Void> closeAsync();
}
