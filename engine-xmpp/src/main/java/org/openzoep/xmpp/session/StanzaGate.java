package org.openzoep.xmpp.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Takes the {@link StreamNegotiator}'s place once the session is online: a top-level element
 * that is a stanza (RFC 6120 §8) goes on as a {@link Stanza}; any other element goes on as it is,
 * for the {@link ApplicationHandler} to count and drop. The negotiator's state (SASL, timers,
 * features) then no longer stays with every idle connection.
 *
 * <p>Stateless and shared by every pipeline. Thread: any event loop. Buffers: none (elements are
 * immutable).
 */
@ChannelHandler.Sharable
final class StanzaGate extends ChannelInboundHandlerAdapter {
    static final StanzaGate INSTANCE = new StanzaGate();

    private StanzaGate() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg instanceof XmlElement e && Stanza.isStanza(e) ? Stanza.of(e) : msg);
    }
}
