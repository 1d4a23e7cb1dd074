package org.openzoep.xmpp.session;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * What the stages of one connection share: the configuration, where callbacks go, and the few
 * facts about the stream that more than one stage reads (online, the bound JID, the drop counter).
 * Not a stage itself; {@link XmppPipeline} makes one per connection and hands it to each stage.
 *
 * <p>Thread: written only on the channel's event loop. The fields the public {@link XmppSession}
 * reads from other threads (bound JID, stream id, closing, dropped) are volatile.
 */
final class SessionContext {
    final XmppSessionConfig config;
    final SerialExecutor callbacks;
    final XmppSessionListener listener;
    /** The XEP-0115 caps element this session advertises. */
    final XmlElement caps;

    private XmppSession session;
    private NegotiationState state = NegotiationState.CONNECTING;
    private boolean online;
    private boolean wentOnline;
    private volatile boolean closing;
    private volatile Jid boundJid;
    private volatile String streamId;
    private volatile long dropped;
    private XmppException endCause;
    /** The application's stanzas between {@link XmppSession#send}/{@code request} and the socket. */
    private final AtomicInteger pendingSends = new AtomicInteger();

    SessionContext(XmppSessionConfig config, SerialExecutor callbacks, XmppSessionListener listener, XmlElement caps) {
        this.config = config;
        this.callbacks = callbacks;
        this.listener = listener;
        this.caps = caps;
    }

    XmppSession session() {
        return session;
    }

    void session(XmppSession s) {
        this.session = s;
    }

    /** Where the stream is; moved on by {@link StreamNegotiator} up to online, by {@link StreamLifecycleHandler} after. */
    NegotiationState state() {
        return state;
    }

    void state(NegotiationState next) {
        state = next;
        online = next == NegotiationState.ONLINE;
        wentOnline |= online;
        if (next.compareTo(NegotiationState.CLOSING) >= 0) {
            closing = true;
        }
    }

    /** True between resource binding and the start of the end of the stream. */
    boolean online() {
        return online;
    }

    /** True once the session has been online: its end is reported to the listener, not to the login. */
    boolean wentOnline() {
        return wentOnline;
    }

    /** True once the stream has started to end, for whatever reason. */
    boolean closing() {
        return closing;
    }

    Jid boundJid() {
        return boundJid;
    }

    void boundJid(Jid jid) {
        this.boundJid = jid;
    }

    String streamId() {
        return streamId;
    }

    void streamId(String id) {
        this.streamId = id;
    }

    long dropped() {
        return dropped;
    }

    /** Counts one refused stanza or element (event loop only, so the increment needs no atomics). */
    void drop() {
        dropped++;
    }

    /**
     * Takes one of the {@link XmppSessionConfig#maxPendingStanzas()} places for an application stanza;
     * false when all are taken. Any thread.
     */
    boolean reserveSend() {
        while (true) {
            int n = pendingSends.get();
            if (n >= config.maxPendingStanzas()) {
                return false;
            }
            if (pendingSends.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #reserveSend()}, once its stanza is written or refused. */
    void releaseSend() {
        pendingSends.decrementAndGet();
    }

    /** Application stanzas in flight (for tests and diagnostics). */
    int pendingSends() {
        return pendingSends.get();
    }

    /** The failure of an application stanza refused for lack of room; nothing of it was sent. */
    XmppException queueFull(String why) {
        return XmppException.of(XmppException.Kind.QUEUE_FULL, "not sent: " + why);
    }

    /**
     * Event loop: why an application stanza whose place was reserved cannot be written on
     * {@code channel} now, or null if it can. Not online: {@link XmppException.Kind#CLOSED}; not
     * writable (past the high-water mark: the server is not reading):
     * {@link XmppException.Kind#QUEUE_FULL}. A refusal gives the place back.
     */
    XmppException refuseWrite(Channel channel) {
        XmppException refused = null;
        if (!online()) {
            refused = XmppException.of(XmppException.Kind.CLOSED, "session is not online");
        } else if (!channel.isWritable()) {
            refused = queueFull("the server is not taking what was written (more than "
                    + config.writeBufferHighBytes() + " bytes wait for the socket)");
        }
        if (refused != null) {
            releaseSend();
        }
        return refused;
    }

    /**
     * Why the connection ended, as the requests still pending see it; set by {@link StreamLifecycleHandler}
     * before the stages after it learn that the channel is inactive.
     */
    XmppException endCause() {
        return endCause;
    }

    void endCause(XmppException cause) {
        this.endCause = cause;
    }
}
