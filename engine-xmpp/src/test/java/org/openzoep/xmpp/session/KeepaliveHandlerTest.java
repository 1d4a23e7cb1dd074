package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/** {@link KeepaliveHandler} on an {@link EmbeddedChannel}, with the correlator and the lifecycle stage, on a fake clock. */
class KeepaliveHandlerTest {
    final RecordingListener events = new RecordingListener();
    SessionContext context;
    EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        context = StageKit.online(events);
        StreamLifecycleHandler lifecycle = new StreamLifecycleHandler(context, new CompletableFuture<>());
        IqCorrelator iqs = new IqCorrelator(context);
        ch = new EmbeddedChannel(lifecycle, iqs, new KeepaliveHandler(context, iqs, lifecycle));
        ch.freezeTime();
        context.session(new XmppSession(ch, context, lifecycle, iqs, null));
    }

    XmlElement idle() {
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        return (XmlElement) ch.readOutbound();
    }

    @Test
    void silencePingsTheServerAndAnAnswerKeepsTheSession() {
        XmlElement ping = idle();
        assertThat(ping.attr("type")).isEqualTo("get");
        assertThat(ping.attr("to")).isEqualTo("localhost");
        assertThat(ping.child("ping", "urn:xmpp:ping")).isNotNull();
        assertThat(idle()).as("one ping at a time").isNull();
        ch.writeInbound(Stanza.of(StageKit.xml("<iq type='result' id='" + ping.attr("id") + "' from='localhost'/>")));
        ch.advanceTimeBy(StageKit.IQ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        assertThat(idle()).as("the next silence pings again").isNotNull();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anErrorAnswerAlsoCountsAsAlive() {
        XmlElement ping = idle();
        ch.writeInbound(Stanza.of(StageKit.xml("<iq type='error' id='" + ping.attr("id") + "' from='localhost'>"
                + "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>")));
        assertThat(ch.isOpen()).isTrue();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anUnansweredPingEndsTheSessionWithATimeout() {
        assertThat(idle()).isNotNull();
        ch.advanceTimeBy(StageKit.IQ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        assertThat(ch.<Object>readOutbound()).isEqualTo(StreamFrame.CLOSE);
        assertThat(ch.isOpen()).isFalse();
        assertThat(events.closed.poll()).isInstanceOfSatisfying(XmppException.class, e -> {
            assertThat(e.kind()).isEqualTo(XmppException.Kind.TIMEOUT);
            assertThat(e.getMessage()).isEqualTo("server did not answer a keepalive ping");
        });
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void noPingBeforeTheSessionIsOnline() {
        context.state(NegotiationState.CLOSING);
        assertThat(idle()).isNull();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }
}
