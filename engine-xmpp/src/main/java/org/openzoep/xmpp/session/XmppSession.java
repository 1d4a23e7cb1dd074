package org.openzoep.xmpp.session;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * One logged-in client stream. Obtained from {@link XmppClient#connect}; every method may be
 * called from any thread and none blocks. Work is handed to the channel's event loop, results come
 * back on the session's serial callback executor.
 */
public final class XmppSession {
    private final Channel channel;
    private final SessionContext context;
    private final StreamLifecycleHandler lifecycle;
    private final IqCorrelator iqs;
    private final ApplicationHandler application;

    XmppSession(Channel channel, SessionContext context, StreamLifecycleHandler lifecycle, IqCorrelator iqs,
            ApplicationHandler application) {
        this.channel = channel;
        this.context = context;
        this.lifecycle = lifecycle;
        this.iqs = iqs;
        this.application = application;
    }

    /** The full JID the server bound. */
    public Jid jid() {
        return context.boundJid();
    }

    /** The stream id the server gave the last stream. */
    public String streamId() {
        return context.streamId();
    }

    /**
     * The XEP-0115 {@code <c/>} element to put in outgoing presence: node {@code https://openzoep.org},
     * ver the hash of the identity and features this session answers disco#info with.
     */
    public XmlElement capsElement() {
        return context.caps;
    }

    /** True until the session has closed. */
    public boolean isOpen() {
        return channel.isActive() && !context.closing();
    }

    /**
     * Sends a stanza. The returned stage completes when the stanza has been written to the
     * socket, or fails with {@link XmppException.Kind#CLOSED}.
     */
    public CompletionStage<Void> send(Stanza stanza) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> application.send(stanza, f));
        return f;
    }

    /**
     * Sends an iq {@code get} or {@code set} and completes with its {@code result}. An
     * {@code error} reply fails the stage with {@link XmppException.Kind#STANZA_ERROR}; no reply
     * within the configured iq timeout fails it with {@link XmppException.Kind#TIMEOUT}. Replies
     * from any address other than the one asked are dropped (RFC 6120 §8.1.2.1's sender check), as
     * are replies to unknown ids. A missing id is filled in.
     */
    public CompletionStage<Stanza> request(Stanza iq) {
        if (iq.kind() != Stanza.Kind.IQ || !("get".equals(iq.type()) || "set".equals(iq.type()))) {
            throw new IllegalArgumentException("request() takes an iq get or set: " + iq);
        }
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> iqs.request(iq, f));
        return f;
    }

    /** Counters of what the session refused: spoofed replies and pushes, unknown ids. */
    public long droppedStanzas() {
        return context.dropped();
    }

    /**
     * Closes gracefully: our {@code </stream:stream>}, the server's, then TCP close (or TCP close
     * after a short grace period). Completes when the connection is closed.
     */
    public CompletionStage<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> lifecycle.closeGracefully(f));
        return f;
    }

    @Override
    public String toString() {
        return "XmppSession[" + context.boundJid() + "]";
    }
}
