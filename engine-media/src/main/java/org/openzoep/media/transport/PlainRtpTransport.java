package org.openzoep.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletionStage;
import org.openzoep.media.rtcp.RtcpMux;

/**
 * Plain RTP and RTCP (RFC 3550, rtcp-mux RFC 5761) over a raw {@link PacketTransport}: no
 * protection. Only where the configuration allows unencrypted media. Inbound datagrams are told
 * apart by {@link RtcpMux#classify}; anything else is dropped and counted.
 *
 * <p>Thread: the path's event loop calls the receiver; {@link #send} and {@link #closeAsync} from
 * any thread. Buffers: {@link #send} takes ownership; the receiver borrows.
 */
public final class PlainRtpTransport implements MediaTransport {

    private final PacketTransport path;
    private volatile MediaReceiver receiver;
    private volatile long otherDropped;

    public PlainRtpTransport(PacketTransport path) {
        this.path = path;
        path.receiver(this::onPacket);
    }

    private void onPacket(ByteBuf buf, int offset, int length, long arrivalNanos) {
        MediaReceiver r = receiver;
        int kind = RtcpMux.classify(buf, offset, length);
        if (r == null || kind == RtcpMux.OTHER) {
            otherDropped++;
        } else if (kind == RtcpMux.RTP) {
            r.onRtp(buf, offset, length, arrivalNanos);
        } else {
            r.onRtcp(buf, offset, length, arrivalNanos);
        }
    }

    @Override
    public EventLoop eventLoop() {
        return path.eventLoop();
    }

    /** @param packet ownership taken */
    @Override
    public void send(ByteBuf packet) {
        path.send(packet);
    }

    @Override
    public void receiver(MediaReceiver r) {
        receiver = r;
    }

    /** Datagrams that were neither RTP nor RTCP (or came before a receiver), dropped. */
    public long otherDropped() {
        return otherDropped;
    }

    @Override
    public CompletionStage<Void> closeAsync() {
        return path.closeAsync();
    }
}
