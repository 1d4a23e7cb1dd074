package org.openzoep.xmpp.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Keeps an idle stream alive and notices a dead one (RFC 6120 §4.6.4 via XEP-0199): on each
 * {@link IdleStateEvent} (from Netty's {@code IdleStateHandler}, after the configured ping interval
 * of silence) while online, it pings the server through the {@link IqCorrelator}; a ping the server
 * does not answer within the iq timeout ends the session with {@link XmppException.Kind#TIMEOUT}.
 * Any answer, even an error, counts as alive.
 *
 * <p>Limits: at most one ping outstanding. Thread: the channel's event loop. Buffers: none.
 */
final class KeepaliveHandler extends ChannelInboundHandlerAdapter {
    private final SessionContext session;
    private final IqCorrelator iqs;
    private final StreamLifecycleHandler lifecycle;
    private boolean pingOutstanding;

    KeepaliveHandler(SessionContext session, IqCorrelator iqs, StreamLifecycleHandler lifecycle) {
        this.session = session;
        this.iqs = iqs;
        this.lifecycle = lifecycle;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && session.online()) {
            ping();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void ping() {
        if (pingOutstanding) {
            return;
        }
        pingOutstanding = true;
        iqs.request(Stanza.iq(IqType.GET.wireName()).to(Jid.of(null, session.config.jid().domain(), null))
                .child(XmlElement.of("ping", ServiceResponder.PING_NS)).build(), (reply, err) -> {
                    pingOutstanding = false;
                    if (err != null && err.kind() == XmppException.Kind.TIMEOUT) {
                        lifecycle.abort(XmppException.of(XmppException.Kind.TIMEOUT, "server did not answer a keepalive ping"));
                    }
                });
    }
}
