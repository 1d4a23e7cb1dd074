package org.openzoep.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * A base (RFC 8445 section 5.1.1): one bound local UDP socket, the host candidate on it and the
 * first server-reflexive candidate gathered through it. Every local candidate, check and consent
 * check of the agent is sent from a base.
 *
 * <p>Thread: created and mutated on the agent's event loop; {@link #channel} and
 * {@link #address} are final and may be read anywhere. Buffers: {@link #transmit} wraps a byte
 * array the caller keeps (Netty owns only the wrapper); {@link #send} takes ownership.
 */
final class Base {

    /** The socket; null in unit tests that only exercise the ICE logic. */
    final Channel channel;
    final InetSocketAddress address;
    final IceCandidate host;
    final int localPreference;
    /** The first server-reflexive candidate of this base, reported when host candidates are not signalled. */
    IceCandidate srflx;

    Base(Channel channel, InetSocketAddress address, int localPreference) {
        this.channel = channel;
        this.address = address;
        this.localPreference = localPreference;
        this.host = new IceCandidate(
                IceCandidate.foundation(IceCandidate.Type.HOST, address.getAddress(), null, "udp"),
                IceAgent.COMPONENT, "udp", IceCandidate.priority(IceCandidate.Type.HOST, localPreference,
                        IceAgent.COMPONENT),
                address, IceCandidate.Type.HOST, null, 0);
    }

    /** RFC 8445 section 7.1.1: the PRIORITY a check from this base carries (a peer-reflexive priority). */
    long prflxPriority() {
        return IceCandidate.priority(IceCandidate.Type.PRFLX, localPreference, IceAgent.COMPONENT);
    }

    /** Whether a remote address can be paired with this base: same family, and loopback only with loopback. */
    boolean pairable(InetSocketAddress remote) {
        return sameFamily(address, remote)
                && address.getAddress().isLoopbackAddress() == remote.getAddress().isLoopbackAddress();
    }

    static boolean sameFamily(InetSocketAddress a, InetSocketAddress b) {
        return (a.getAddress() instanceof Inet4Address) == (b.getAddress() instanceof Inet4Address);
    }

    boolean isActive() {
        return channel != null && channel.isActive();
    }

    /**
     * Sends a STUN message; dropped when the socket is closed.
     *
     * @param message borrowed and not copied: the caller must not change it afterwards
     */
    void transmit(InetSocketAddress to, byte[] message) {
        if (isActive()) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), to), channel.voidPromise());
        }
    }

    /**
     * Sends one datagram, or releases it when the socket is closed.
     *
     * @param packet ownership taken
     */
    void send(ByteBuf packet, InetSocketAddress to) {
        if (isActive()) {
            channel.writeAndFlush(new DatagramPacket(packet, to), channel.voidPromise());
        } else {
            packet.release();
        }
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
