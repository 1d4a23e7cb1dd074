package org.openzoep.media.transport;

import io.netty.buffer.ByteBuf;

/**
 * Receives the RTP and RTCP datagrams of one transport.
 *
 * <p>Thread: called on the transport's event loop; must not block. Buffers: borrowed for the
 * call only: do not retain or release, copy what must outlive the call.
 */
public interface MediaReceiver {

    /** One datagram classified as RTP, at {@code (buf, offset, length)}. */
    void onRtp(ByteBuf buf, int offset, int length, long arrivalNanos);

    /** One datagram classified as RTCP, at {@code (buf, offset, length)}. */
    void onRtcp(ByteBuf buf, int offset, int length, long arrivalNanos);
}
