package org.openzoep.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.openzoep.media.MediaClock;
import org.openzoep.media.rtcp.RtcpMux;

/**
 * Inbound handler of a media datagram channel: drops datagrams that do not come from the
 * negotiated remote address, tells RTP from RTCP (RFC 5761) and hands each to the
 * {@link MediaReceiver}. Nothing is thrown per packet; everything dropped is counted.
 *
 * <p>Thread: the channel's event loop. Buffers: the datagram is borrowed by the receiver for the
 * call and released here afterwards.
 */
public final class MediaDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private final MediaClock clock;
    private volatile MediaReceiver receiver;
    private volatile InetSocketAddress remote;
    private volatile long rtp;
    private volatile long rtcp;
    private volatile long foreign;
    private volatile long other;

    public MediaDatagramHandler(MediaClock clock, InetSocketAddress remote, MediaReceiver receiver) {
        super(DatagramPacket.class, true);
        this.clock = clock;
        this.remote = remote;
        this.receiver = receiver;
    }

    /** Changes the accepted remote address (a re-negotiation, e.g. an ICE restart). */
    public void remote(InetSocketAddress address) {
        this.remote = address;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    /** Changes who receives the packets. */
    public void receiver(MediaReceiver r) {
        this.receiver = r;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        long now = clock.nanoTime();
        if (!packet.sender().equals(remote)) {
            foreign++;
            return;
        }
        ByteBuf buf = packet.content();
        int off = buf.readerIndex();
        int len = buf.readableBytes();
        switch (RtcpMux.classify(buf, off, len)) {
            case RtcpMux.RTP:
                rtp++;
                receiver.onRtp(buf, off, len, now);
                break;
            case RtcpMux.RTCP:
                rtcp++;
                receiver.onRtcp(buf, off, len, now);
                break;
            default:
                other++;
                break;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a datagram socket error (e.g. ICMP port unreachable surfacing as an exception) is not
        // fatal for media; keep the channel open
        other++;
    }

    public long rtpReceived() {
        return rtp;
    }

    public long rtcpReceived() {
        return rtcp;
    }

    /** Datagrams from an address other than the negotiated remote, dropped. */
    public long foreignDropped() {
        return foreign;
    }

    /** Datagrams that were neither RTP nor RTCP, dropped. */
    public long otherDropped() {
        return other;
    }
}
