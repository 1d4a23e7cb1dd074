package org.openzoep.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import org.openzoep.media.stun.StunMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers server-reflexive candidates (RFC 8445 section 5.1.1.2): from every base, one
 * unauthenticated Binding request with FINGERPRINT (RFC 8489 section 6.1) to every STUN server of
 * the base's address family, retransmitted on {@link StunRetransmission#GATHER}. The mapped
 * address of a success response from that server to that base becomes a server-reflexive
 * candidate of the base, with a foundation over type, base and server (section 5.1.1.3). A
 * server that answers with an error or not at all is skipped.
 *
 * <p>Thread: the agent's event loop. Buffers: each request is written to a short-lived heap
 * buffer, copied to the byte array its transaction keeps, and released at once; responses are
 * borrowed views.
 */
final class ServerReflexiveSource implements GatheringSource, StunTransaction.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ServerReflexiveSource.class);

    private final List<InetSocketAddress> servers;
    private final StunClient client;
    private Sink sink;
    private int pending;

    /** @param servers resolved STUN server addresses; unresolved ones are skipped */
    ServerReflexiveSource(List<InetSocketAddress> servers, StunClient client) {
        this.servers = List.copyOf(servers);
        this.client = client;
    }

    @Override
    public void start(List<Base> bases, long now, Sink s) {
        this.sink = s;
        for (Base base : bases) {
            for (InetSocketAddress server : servers) {
                if (server.isUnresolved() || !Base.sameFamily(base.address, server)) {
                    continue;
                }
                byte[] id = client.transactionId();
                ByteBuf b = Unpooled.buffer(28);
                StunMessage.write(b, StunMessage.BINDING, StunMessage.REQUEST, id).fingerprint();
                byte[] request = ByteBufUtil.getBytes(b);
                b.release();
                pending++;
                client.start(new StunTransaction(id, base, server, request, StunRetransmission.GATHER, this, null,
                        false, false), now);
            }
        }
        if (pending == 0) {
            s.done(this);
        }
    }

    @Override
    public boolean onResponse(StunTransaction tx, StunMessage m, Base base, InetSocketAddress from, long now) {
        if (!from.equals(tx.to) || tx.base != base) {
            return false;
        }
        InetSocketAddress mapped = m.messageClass() == StunMessage.SUCCESS
                ? (m.xorMappedAddress() != null ? m.xorMappedAddress() : m.mappedAddress()) : null;
        if (mapped == null) {
            LOG.debug("STUN server {} answered {} {}", from, m.errorCode(), m.errorReason());
        } else {
            sink.candidate(base, new IceCandidate(
                    IceCandidate.foundation(IceCandidate.Type.SRFLX, base.address.getAddress(), tx.to.getAddress(), "udp"),
                    IceAgent.COMPONENT, "udp",
                    IceCandidate.priority(IceCandidate.Type.SRFLX, base.localPreference, IceAgent.COMPONENT),
                    mapped, IceCandidate.Type.SRFLX, base.address, 0));
        }
        finished();
        return true;
    }

    @Override
    public void onTimeout(StunTransaction tx) {
        LOG.debug("no answer from STUN server {}", tx.to);
        finished();
    }

    private void finished() {
        if (--pending == 0) {
            sink.done(this);
        }
    }
}
