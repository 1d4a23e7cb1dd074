package org.openzoep.xmpp.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import org.openzoep.xmpp.disco.EntityCaps;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Answers the iq requests every client must or should answer, so the application never sees them:
 * XEP-0199 ping; XEP-0030 disco#info with our one identity and the configured features, for no
 * node or for our XEP-0115 {@code node#ver} (item-not-found for other nodes); and RFC 6121 §2.1.6
 * roster pushes, acknowledged here and then passed on as a stanza (a push from anyone but our
 * account or server is dropped). Any other {@code get} or {@code set} passes on as an
 * {@link ApplicationHandler.IqRequest} for the application to answer. An iq that is neither a
 * request nor a reply, or a request without an id, is dropped and counted; requests arriving
 * before the session is online are ignored. Messages and presence pass on untouched.
 *
 * <p>Limits: answers are built from the request alone; nothing is kept. Thread: the channel's
 * event loop. Buffers: none; it sees {@link Stanza}s and writes {@link XmlElement}s.
 */
final class ServiceResponder extends ChannelInboundHandlerAdapter {
    static final String PING_NS = "urn:xmpp:ping";
    static final String DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";
    static final String ROSTER_NS = "jabber:iq:roster";
    /** The one XEP-0030 identity this client has. */
    static final EntityCaps.Identity IDENTITY = new EntityCaps.Identity("client", "pc", null, "OpenZoep");
    /** The XEP-0115 node: the software's URI. */
    static final String CAPS_NODE = "https://openzoep.org";

    private final SessionContext session;
    private final List<String> discoFeatures;

    ServiceResponder(SessionContext session, List<String> discoFeatures) {
        this.session = session;
        this.discoFeatures = discoFeatures;
    }

    /** The XEP-0115 caps element advertising {@link #IDENTITY} and the disco features. */
    static XmlElement capsElement(List<String> features) {
        return EntityCaps.element(CAPS_NODE, EntityCaps.verification(List.of(IDENTITY), features, List.of()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Stanza s) || s.kind() != Stanza.Kind.IQ) {
            ctx.fireChannelRead(msg);
            return;
        }
        IqType type = IqType.of(s.type());
        if (type == null || !type.isRequest() || s.id() == null) {
            session.drop();
            return;
        }
        if (!session.online()) {
            return;
        }
        XmlElement payload = s.payload();
        if (payload != null && type == IqType.GET && payload.is("ping", PING_NS)) {
            ctx.writeAndFlush(s.result().element(), ctx.voidPromise());
        } else if (payload != null && type == IqType.GET && payload.is("query", DISCO_INFO_NS)) {
            ctx.writeAndFlush(discoInfo(s, discoFeatures, session.caps).element(), ctx.voidPromise());
        } else if (payload != null && type == IqType.SET && payload.is("query", ROSTER_NS)) {
            Jid from = s.from();
            if (s.element().attr("from") != null && (from == null || !from.equals(session.boundJid().bare()))) {
                session.drop(); // RFC 6121 §2.1.6: a push from anyone else is ignored
                return;
            }
            ctx.writeAndFlush(s.result().element(), ctx.voidPromise());
            ctx.fireChannelRead(s);
        } else {
            ctx.fireChannelRead(new ApplicationHandler.IqRequest(s));
        }
    }

    /**
     * The answer to a disco#info get: our identity and features, for no node or for the
     * XEP-0115 {@code node#ver} of our caps (echoing the node); item-not-found for any other node.
     */
    static Stanza discoInfo(Stanza request, List<String> features, XmlElement caps) {
        XmlElement payload = request.payload();
        String node = payload.attr("node");
        if (node != null && !node.equals(caps.attr("node") + "#" + caps.attr("ver"))) {
            return request.errorReply(StanzaError.of("cancel", "item-not-found", null));
        }
        XmlElement.Builder q = XmlElement.builder("query", DISCO_INFO_NS).attr("node", node);
        q.child(IDENTITY.toXml());
        for (String f : features) {
            q.child(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", f).build());
        }
        Stanza.Builder b = Stanza.iq(IqType.RESULT.wireName()).id(request.id()).child(q.build());
        if (request.element().attr("from") != null) {
            b.to(request.element().attr("from"));
        }
        return b.build();
    }
}
