package org.openzoep.xmpp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;

/** Shared pieces of the stage tests: a configuration, a context, and reading what a stage wrote. */
final class StageKit {
    static final Duration IQ_TIMEOUT = Duration.ofSeconds(5);
    static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(20);

    private StageKit() {
    }

    static XmppSessionConfig.Builder configBuilder() {
        return XmppSessionConfig.builder(Jid.parse("alice@localhost"), "pw").iqTimeout(IQ_TIMEOUT)
                .loginTimeout(LOGIN_TIMEOUT);
    }

    /** A context whose callbacks run at once on the calling thread, so tests see them synchronously. */
    static SessionContext context(XmppSessionConfig config, XmppSessionListener listener) {
        return new SessionContext(config, new SerialExecutor(Runnable::run), listener,
                ServiceResponder.capsElement(List.of()));
    }

    static SessionContext context() {
        return context(configBuilder().build(), new RecordingListener());
    }

    /** A context already online as alice@localhost/phone. */
    static SessionContext online(XmppSessionListener listener) {
        SessionContext c = context(configBuilder().build(), listener);
        c.boundJid(Jid.parse("alice@localhost/phone"));
        c.state(NegotiationState.ONLINE);
        return c;
    }

    /** Every outbound message the stage under test wrote, in order (no buffers: no encoder in these pipelines). */
    static List<Object> written(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof ByteBuf b) {
                b.release();
                throw new AssertionError("a stage wrote bytes");
            }
            out.add(o);
        }
        return out;
    }

    /** The one element the stage wrote. */
    static XmlElement writtenElement(EmbeddedChannel ch) {
        List<Object> out = written(ch);
        if (out.size() != 1 || !(out.get(0) instanceof XmlElement e)) {
            throw new AssertionError("expected one element, got " + out);
        }
        return e;
    }

    static XmlElement xml(String s) {
        return XmlStreamParser.parseElement(s, "jabber:client");
    }

    static String utf8(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }
}
