package org.openzoep.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.openzoep.media.MediaClock;
import org.openzoep.media.stun.StunMessage;
import org.openzoep.media.transport.PacketReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's datagram path: the {@link IceState}, the selected pair, and the receiver. Inbound,
 * it demultiplexes every datagram of every base by its first byte (RFC 7983): STUN goes to the
 * agent's {@link StunHandler}; media from the selected pair's remote goes to the receiver; media
 * that comes too early is held ({@link EarlyDatagrams}); the rest is dropped and counted.
 * Outbound, it sends media on the selected pair while connected and releases it otherwise.
 *
 * <p>The media path allocates nothing per packet: a received datagram is lent to the receiver as
 * it came from the socket, and a sent one goes to the socket in Netty's datagram envelope only.
 *
 * <p>Thread: datagrams, state changes and the early queue are on the agent's event loop;
 * {@link #send}, {@link #receiver(PacketReceiver)}, the state and the counters may be used from
 * any thread. Buffers: {@link #send} takes ownership; {@link #onDatagram} borrows the datagram
 * for the call (the socket handler releases it) and lends it to the receiver for its call.
 */
final class SelectedPath {

    private static final Logger LOG = LoggerFactory.getLogger(SelectedPath.class);

    /** Takes inbound STUN messages; on the event loop. */
    interface StunHandler {
        /**
         * @param m borrowed for the call
         * @return false when dropped
         */
        boolean onStun(Base base, StunMessage m, InetSocketAddress from);
    }

    private final MediaClock clock;
    private final CheckList checkList;
    private final StunHandler stun;
    private final EarlyDatagrams early = new EarlyDatagrams();
    private final AtomicLong unsent = new AtomicLong();
    private volatile IceState state = IceState.RUNNING;
    private volatile CandidatePair selected;
    private volatile PacketReceiver receiver;
    private volatile long dropped;

    SelectedPath(MediaClock clock, CheckList checkList, StunHandler stun) {
        this.clock = clock;
        this.checkList = checkList;
        this.stun = stun;
    }

    IceState state() {
        return state;
    }

    void state(IceState s) {
        state = s;
    }

    CandidatePair selected() {
        return selected;
    }

    /** On the loop: the pair is selected, media flows (then {@link #flushEarly}). */
    void select(CandidatePair p) {
        selected = p;
        state = IceState.CONNECTED;
    }

    long dropped() {
        return dropped;
    }

    long unsent() {
        return unsent.get();
    }

    /**
     * Sends one datagram on the selected pair, or releases and counts it.
     *
     * @param packet ownership taken
     */
    void send(ByteBuf packet) {
        CandidatePair s = selected;
        if (s == null || state != IceState.CONNECTED || !s.base.isActive()) {
            packet.release();
            unsent.incrementAndGet();
            return;
        }
        s.base.send(packet, s.remote.address());
    }

    /** Any thread: sets the receiver; what was held for it is handed over on the loop. */
    void receiver(PacketReceiver r) {
        receiver = r;
    }

    /**
     * Every datagram of every socket, on the loop; never throws.
     *
     * @param packet borrowed for the call
     */
    void onDatagram(Base base, DatagramPacket packet) {
        if (base == null || state == IceState.CLOSED) {
            dropped++;
            return;
        }
        try {
            demultiplex(base, packet);
        } catch (RuntimeException e) {
            dropped++;
            LOG.debug("dropped a datagram from {}", packet.sender(), e);
        }
    }

    private void demultiplex(Base base, DatagramPacket packet) {
        ByteBuf buf = packet.content();
        int off = buf.readerIndex();
        int len = buf.readableBytes();
        InetSocketAddress from = packet.sender();
        if (len > 0 && buf.getUnsignedByte(off) < 4) {
            StunMessage m = StunMessage.parse(buf, off, len);
            if (m == null || !stun.onStun(base, m, from)) {
                dropped++;
            }
            return;
        }
        CandidatePair s = selected;
        PacketReceiver r = receiver;
        if (s != null && state == IceState.CONNECTED && s.base == base && s.remote.address().equals(from) && r != null) {
            r.onPacket(buf, off, len, clock.nanoTime());
        } else if (!holdEarly(base, from, buf, off, len)) {
            dropped++;
        }
    }

    private boolean holdEarly(Base base, InetSocketAddress from, ByteBuf buf, int off, int len) {
        return (state == IceState.RUNNING || state == IceState.CONNECTED) && checkList.find(base, from) != null
                && early.hold(base, from, buf, off, len, clock.nanoTime());
    }

    /** On the loop: hands the held datagrams of the selected pair to the receiver once both are there. */
    void flushEarly() {
        CandidatePair s = selected;
        PacketReceiver r = receiver;
        if (early.isEmpty() || s == null || state != IceState.CONNECTED || r == null) {
            return;
        }
        dropped += early.flush(s.base, s.remote.address(), r);
    }
}
