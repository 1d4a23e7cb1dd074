package org.openzoep.media.transport;

import io.netty.buffer.ByteBuf;

/**
 * Receives the datagrams of a {@link PacketTransport}.
 *
 * <p>Thread: the transport's event loop; must not block. Buffers: borrowed for the call only.
 */
@FunctionalInterface
public interface PacketReceiver {

    /** One datagram at {@code (buf, offset, length)}. */
    void onPacket(ByteBuf buf, int offset, int length, long arrivalNanos);
}
