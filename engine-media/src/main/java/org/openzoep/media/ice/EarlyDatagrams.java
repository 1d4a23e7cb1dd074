package org.openzoep.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.openzoep.media.transport.PacketReceiver;

/**
 * Non-STUN datagrams that arrive before the agent can deliver them. The peer may finish ICE first
 * and start DTLS at once, before this side has selected its pair (the controlled side selects on
 * USE-CANDIDATE; the controlling side on the response to it), or before the layer above has set
 * its receiver. Its first flight would be lost and resent only after DTLS's 1 s timer, so a few
 * such datagrams (at most {@value #MAX}) from a remote of the checklist are kept and handed over
 * once the pair is selected and the receiver set; those from elsewhere are then dropped.
 *
 * <p>Thread: the agent's event loop; not thread-safe. Buffers: {@link #hold} copies the bytes it
 * borrows into a heap array it owns (this happens only before media flows, never per media
 * packet); {@link #flush} lends each held datagram to the receiver in a wrapper it releases
 * after the call.
 */
final class EarlyDatagrams {

    static final int MAX = 16;
    private static final int MAX_LENGTH = 2048;

    private record Early(Base base, InetSocketAddress from, byte[] data, long arrival) {
    }

    private final ArrayDeque<Early> held = new ArrayDeque<>();

    /**
     * Keeps a copy of the datagram unless the queue is full or it is too long.
     *
     * @param buf borrowed
     * @return whether it was kept
     */
    boolean hold(Base base, InetSocketAddress from, ByteBuf buf, int off, int len, long arrival) {
        if (held.size() >= MAX || len > MAX_LENGTH) {
            return false;
        }
        byte[] copy = new byte[len];
        buf.getBytes(off, copy);
        held.add(new Early(base, from, copy, arrival));
        return true;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /**
     * Hands the datagrams held from {@code remote} on {@code base} to the receiver, in arrival
     * order, and empties the queue.
     *
     * @return how many were dropped (from elsewhere)
     */
    int flush(Base base, InetSocketAddress remote, PacketReceiver receiver) {
        int dropped = 0;
        Early e;
        while ((e = held.poll()) != null) {
            if (e.base == base && e.from.equals(remote)) {
                ByteBuf b = Unpooled.wrappedBuffer(e.data);
                try {
                    receiver.onPacket(b, 0, e.data.length, e.arrival);
                } finally {
                    b.release();
                }
            } else {
                dropped++;
            }
        }
        return dropped;
    }

    void clear() {
        held.clear();
    }
}
