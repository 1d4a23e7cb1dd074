package org.openzoep.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletionStage;

/**
 * The packet path of one media session: carries its RTP and RTCP (rtcp-mux, RFC 5761) to and from
 * one remote. {@link UdpTransport} is the plain one; {@code SrtpTransport} protects every packet
 * (RFC 3711) on a path that ICE chose and DTLS keyed.
 *
 * <p>Thread: the receiver is called on {@link #eventLoop()}; {@link #send} and
 * {@link #closeAsync} from any thread. Buffers: {@link #send} takes ownership of a plaintext
 * RTP or RTCP packet.
 */
public interface MediaTransport {

    /** The event loop the receiver runs on. */
    EventLoop eventLoop();

    /**
     * Sends one plaintext RTP or RTCP packet; never throws (a failure is counted and the packet
     * released).
     *
     * @param packet ownership taken
     */
    void send(ByteBuf packet);

    /** Sets who receives the inbound RTP and RTCP; call before packets flow. */
    void receiver(MediaReceiver receiver);

    /** Closes the path; completes when closed. Never blocks. */
    CompletionStage<Void> closeAsync();
}
