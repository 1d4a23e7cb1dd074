package org.openzoep.xmpp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Puts the session stages on a channel, in order (see the package documentation for the picture),
 * and makes the {@link XmppSession} that fronts them. TLS ({@code "tls"}, for Direct TLS) and the
 * idle timer ({@code "idle"}) are the caller's, added before.
 *
 * <p>Thread: call from the channel's initializer (its event loop), once per channel.
 */
final class XmppPipeline {
    private XmppPipeline() {
    }

    /** Adds the stages to {@code ch}'s pipeline and returns the session they serve. */
    static XmppSession install(Channel ch, XmppSessionConfig config, SslContext ssl, Executor compute,
            SerialExecutor callbacks, XmppSessionListener listener, List<String> discoFeatures, XmlElement caps,
            CompletableFuture<XmppSession> login) {
        SessionContext context = new SessionContext(config, callbacks, listener, caps);
        XmppFrameDecoder decoder = new XmppFrameDecoder(config.limits());
        IqCorrelator iqs = new IqCorrelator(context);
        StreamLifecycleHandler lifecycle = new StreamLifecycleHandler(context, login);
        StreamNegotiator negotiator = new StreamNegotiator(context, ssl, compute, login, decoder, iqs, lifecycle);
        ApplicationHandler application = new ApplicationHandler(context, lifecycle);
        XmppSession session = new XmppSession(ch, context, lifecycle, iqs, application);
        context.session(session);
        ChannelPipeline p = ch.pipeline();
        p.addLast("decoder", decoder);
        p.addLast("encoder", StanzaEncoder.INSTANCE);
        p.addLast("lifecycle", lifecycle);
        p.addLast("negotiator", negotiator);
        p.addLast("iqs", iqs);
        p.addLast("services", new ServiceResponder(context, discoFeatures));
        p.addLast("keepalive", new KeepaliveHandler(context, iqs, lifecycle));
        p.addLast("application", application);
        return session;
    }
}
