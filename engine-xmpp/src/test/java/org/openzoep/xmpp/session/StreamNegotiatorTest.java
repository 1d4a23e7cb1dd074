package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.tls.TlsContexts;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * {@link StreamNegotiator} on an {@link EmbeddedChannel}, between the decoder (for the restarts)
 * and the iq correlator (for bind), with the lifecycle stage it aborts through. No encoder: what
 * it writes is read back as elements and frames.
 */
class StreamNegotiatorTest {
    static final String HEADER = XmppPipelineTest.SERVER_HEADER;
    static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

    final Queue<Runnable> compute = new ArrayDeque<>();
    CompletableFuture<XmppSession> login;
    SessionContext context;
    EmbeddedChannel ch;
    /** Where {@link #serverSends} cuts each message in two (0: whole). */
    int split;

    EmbeddedChannel start(XmppSessionConfig config, boolean computeInline) throws Exception {
        login = new CompletableFuture<>();
        context = StageKit.context(config, new RecordingListener());
        ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) throws Exception {
                XmppFrameDecoder decoder = new XmppFrameDecoder(config.limits());
                IqCorrelator iqs = new IqCorrelator(context);
                StreamLifecycleHandler lifecycle = new StreamLifecycleHandler(context, login);
                StreamNegotiator negotiator = new StreamNegotiator(context,
                        new TlsContexts().forTrustStore(Optional.empty(), TlsMode.STARTTLS),
                        computeInline ? Runnable::run : compute::add, login, decoder, iqs, lifecycle);
                context.session(new XmppSession(c, context, lifecycle, iqs, null));
                c.pipeline().addLast(decoder, lifecycle, negotiator, iqs);
            }
        });
        ch.freezeTime();
        return ch;
    }

    EmbeddedChannel directTls() throws Exception {
        return start(StageKit.configBuilder().tlsMode(TlsMode.DIRECT_TLS).build(), true);
    }

    void serverSends(String xml) {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        if (split > 0 && split < b.length) {
            ch.writeInbound(Unpooled.copiedBuffer(b, 0, split));
            ch.writeInbound(Unpooled.copiedBuffer(b, split, b.length - split));
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(b));
        }
    }

    XmppException loginFailure() {
        assertThat(login).isCompletedExceptionally();
        try {
            login.get();
            throw new AssertionError("login did not fail");
        } catch (ExecutionException | InterruptedException e) {
            return (XmppException) e.getCause();
        }
    }

    /** Direct TLS, SASL PLAIN done: the next thing the server sends is the post-SASL header and features. */
    void authenticated() throws Exception {
        directTls();
        StageKit.written(ch);
        serverSends(HEADER + "<stream:features><mechanisms xmlns='" + SASL + "'><mechanism>PLAIN</mechanism>"
                + "</mechanisms></stream:features>");
        XmlElement auth = StageKit.writtenElement(ch);
        assertThat(auth.is("auth", SASL)).isTrue();
        assertThat(auth.attr("mechanism")).isEqualTo("PLAIN");
        assertThat(new String(Base64.getDecoder().decode(auth.text()), StandardCharsets.UTF_8)).isEqualTo("\0alice\0pw");
        serverSends("<success xmlns='" + SASL + "'/>");
        List<Object> restart = StageKit.written(ch);
        assertThat(restart).hasSize(1).first().isInstanceOf(StreamFrame.Open.class);
        assertThat(context.state()).isEqualTo(NegotiationState.OPENING);
    }

    @Test
    void opensTheStreamOnceConnected() throws Exception {
        directTls();
        StreamFrame.Open open = (StreamFrame.Open) StageKit.written(ch).get(0);
        assertThat(open.contentNamespace()).isEqualTo(Stanza.CLIENT_NS);
        assertThat(open.header().is("stream", XmlWriter.STREAM_NS)).isTrue();
        assertThat(open.header().attr("to")).isEqualTo("localhost");
        assertThat(open.header().attr("from")).isEqualTo("alice@localhost");
        assertThat(open.header().attr("version")).isEqualTo("1.0");
        assertThat(context.state()).isEqualTo(NegotiationState.OPENING);
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void proceedPutsTlsFirstInThePipeline() throws Exception {
        start(StageKit.configBuilder().build(), true);
        StageKit.written(ch);
        serverSends(HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>");
        assertThat(StageKit.writtenElement(ch).name()).isEqualTo("starttls");
        assertThat(context.state()).isEqualTo(NegotiationState.STARTTLS);
        serverSends("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(ch.pipeline().first()).isInstanceOf(SslHandler.class);
        assertThat(ch.pipeline().names().get(0)).isEqualTo("tls");
        ByteBuf hello = ch.readOutbound();
        assertThat(hello.getByte(hello.readerIndex())).as("a TLS handshake record").isEqualTo((byte) 22);
        hello.release();
        ch.finishAndReleaseAll();
    }

    /**
     * L2 (STARTTLS command injection): bytes that come in the same read as {@code <proceed/>} were
     * sent in clear after it, so they cannot belong to the TLS stream. Whatever they are (a forged
     * stream header and features, half a tag, one space), the login fails before TLS starts.
     */
    @Test
    void bytesAfterProceedInTheSameReadFailTheStream() throws Exception {
        String proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
        for (String injected : List.of(HEADER.replace("<?xml version='1.0'?>", "") + "<stream:features><mechanisms xmlns='" + SASL
                + "'><mechanism>PLAIN</mechanism></mechanisms></stream:features>", "<a", " ")) {
            start(StageKit.configBuilder().build(), true);
            StageKit.written(ch);
            serverSends(HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>");
            StageKit.written(ch);
            serverSends(proceed + injected);
            XmppException e = loginFailure();
            assertThat(e.kind()).as("after %s: %s", injected, e.getMessage()).isEqualTo(XmppException.Kind.TLS_FAILED);
            assertThat(e.getMessage()).contains("after <proceed/>");
            assertThat(ch.pipeline().get(SslHandler.class)).as("TLS never started").isNull();
            assertThat(ch.<Object>readOutbound()).as("no handshake, nothing written").isNull();
            assertThat(ch.isOpen()).isFalse();
            assertThat(ch.finish()).isFalse();
        }
    }

    /** Without extra bytes, {@code <proceed/>} cut at every byte still starts TLS. */
    @Test
    void proceedSplitAtEveryByteStartsTls() throws Exception {
        String proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
        for (split = 1; split < proceed.length(); split++) {
            start(StageKit.configBuilder().build(), true);
            StageKit.written(ch);
            serverSends(HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>");
            StageKit.written(ch);
            serverSends(proceed);
            assertThat(ch.pipeline().first()).as("split at %d", split).isInstanceOf(SslHandler.class);
            assertThat(login).isNotDone();
            ch.finishAndReleaseAll();
        }
        split = 0;
    }

    @Test
    void aRefusedStartTlsFailsWithoutClosingTheStreamOurselves() throws Exception {
        start(StageKit.configBuilder().build(), true);
        StageKit.written(ch);
        serverSends(HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>");
        StageKit.written(ch);
        serverSends("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(StageKit.written(ch)).as("the server closes its stream itself (RFC 6120 §5.4.2.2)").isEmpty();
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.TLS_FAILED);
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void saslThenARestartThenBindThenOnline() throws Exception {
        authenticated();
        serverSends(HEADER.replace("s1", "s2") + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                + "</stream:features>");
        assertThat(context.streamId()).isEqualTo("s2");
        XmlElement bind = StageKit.writtenElement(ch);
        assertThat(bind.attr("type")).isEqualTo("set");
        assertThat(bind.attr("id")).isEqualTo("oz0");
        assertThat(bind.child("bind", StreamNegotiator.BIND_NS)).isNotNull();
        assertThat(context.state()).isEqualTo(NegotiationState.BINDING);
        serverSends("<iq type='result' id='oz0'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<jid>alice@localhost/r1</jid></bind></iq>");
        assertThat(login).isCompleted();
        assertThat(login.join().jid()).isEqualTo(Jid.parse("alice@localhost/r1"));
        assertThat(context.online()).isTrue();
        assertThat(ch.pipeline().get(StreamNegotiator.class)).as("negotiation is over: the negotiator left").isNull();
        assertThat(ch.pipeline().get("stanzas")).isSameAs(StanzaGate.INSTANCE);
        serverSends("<message from='romeo@example.net'><body>hi</body></message><stream:features/>");
        assertThat(((Stanza) ch.readInbound()).body()).isEqualTo("hi");
        assertThat(ch.<Object>readInbound()).as("a non-stanza goes on for the application stage to drop")
                .isInstanceOf(XmlElement.class);
        assertThat(ch.<Object>readInbound()).isNull();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    /** The whole login again, each of the server's messages cut in two at every byte. */
    @Test
    void theLoginWorksWithEveryServerMessageSplitAtEveryByte() throws Exception {
        String features = HEADER + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";
        for (split = 1; split < features.length(); split++) {
            authenticated();
            serverSends(features);
            String id = StageKit.writtenElement(ch).attr("id");
            serverSends("<iq type='result' id='" + id + "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                    + "<jid>alice@localhost/r1</jid></bind></iq>");
            assertThat(login).as("split at %d", split).isCompleted();
            assertThat(context.dropped()).isZero();
            ch.close();
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void aRequiredSessionIsEstablishedBeforeOnline() throws Exception {
        authenticated();
        serverSends(HEADER + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></stream:features>");
        StageKit.written(ch);
        serverSends("<iq type='result' id='oz0'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<jid>alice@localhost/r1</jid></bind></iq>");
        XmlElement session = StageKit.writtenElement(ch);
        assertThat(session.child("session", StreamNegotiator.SESSION_NS)).isNotNull();
        assertThat(login).isNotDone();
        serverSends("<iq type='result' id='" + session.attr("id") + "'/>");
        assertThat(login).isCompleted();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void bindingAnotherAccountIsRefused() throws Exception {
        authenticated();
        serverSends(HEADER + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
        StageKit.written(ch);
        serverSends("<iq type='result' id='oz0'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<jid>mallory@localhost/r1</jid></bind></iq>");
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.BIND_FAILED);
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void noBindingOfferedIsABindFailure() throws Exception {
        authenticated();
        serverSends(HEADER + "<stream:features/>");
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.BIND_FAILED);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aSaslFailureCarriesItsCondition() throws Exception {
        directTls();
        StageKit.written(ch);
        serverSends(HEADER + "<stream:features><mechanisms xmlns='" + SASL + "'><mechanism>PLAIN</mechanism>"
                + "</mechanisms></stream:features>");
        StageKit.written(ch);
        serverSends("<failure xmlns='" + SASL + "'><not-authorized/><text>wrong password</text></failure>");
        XmppException e = loginFailure();
        assertThat(e.kind()).isEqualTo(XmppException.Kind.AUTH_FAILED);
        assertThat(e.saslCondition()).isEqualTo("not-authorized");
        assertThat(e.getMessage()).contains("wrong password");
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aChallengeThatIsNotBase64FailsAtOnce() throws Exception {
        start(StageKit.configBuilder().tlsMode(TlsMode.DIRECT_TLS).build(), false);
        StageKit.written(ch);
        serverSends(HEADER + "<stream:features><mechanisms xmlns='" + SASL + "'><mechanism>SCRAM-SHA-1</mechanism>"
                + "</mechanisms></stream:features>");
        StageKit.written(ch);
        serverSends("<challenge xmlns='" + SASL + "'>!!!</challenge>");
        assertThat(compute).isEmpty();
        assertThat(loginFailure().saslCondition()).isEqualTo("malformed-challenge");
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(ch.finish()).isFalse();
    }

    /** SCRAM's key derivation runs on the compute executor; its response comes back through the event loop. */
    @Test
    void aScramChallengeIsAnsweredFromTheComputeExecutor() throws Exception {
        start(StageKit.configBuilder().tlsMode(TlsMode.DIRECT_TLS).build(), false);
        StageKit.written(ch);
        serverSends(HEADER + "<stream:features><mechanisms xmlns='" + SASL + "'><mechanism>SCRAM-SHA-1</mechanism>"
                + "</mechanisms></stream:features>");
        XmlElement auth = StageKit.writtenElement(ch);
        assertThat(auth.attr("mechanism")).isEqualTo("SCRAM-SHA-1");
        String clientFirst = new String(Base64.getDecoder().decode(auth.text()), StandardCharsets.US_ASCII);
        String nonce = clientFirst.substring(clientFirst.indexOf("r=") + 2);
        String serverFirst = "r=" + nonce + "srv,s=" + Base64.getEncoder().encodeToString("salt".getBytes(StandardCharsets.US_ASCII))
                + ",i=4096";
        serverSends("<challenge xmlns='" + SASL + "'>"
                + Base64.getEncoder().encodeToString(serverFirst.getBytes(StandardCharsets.US_ASCII)) + "</challenge>");
        assertThat(StageKit.written(ch)).as("nothing before the derivation ran").isEmpty();
        assertThat(compute).hasSize(1);
        compute.poll().run();
        ch.runPendingTasks();
        XmlElement response = StageKit.writtenElement(ch);
        assertThat(response.is("response", SASL)).isTrue();
        assertThat(new String(Base64.getDecoder().decode(response.text()), StandardCharsets.US_ASCII))
                .startsWith("c=biws,r=" + nonce + "srv,p=");
        ch.close();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void noLoginWithinTheLoginTimeoutIsATimeout() throws Exception {
        directTls();
        StageKit.written(ch);
        ch.advanceTimeBy(StageKit.LOGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.TIMEOUT);
        assertThat(StageKit.written(ch)).containsExactly(StreamFrame.CLOSE);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void elementsThatAreNotFeaturesWhileOpeningAreDropped() throws Exception {
        directTls();
        StageKit.written(ch);
        serverSends(HEADER + "<message><body>too early</body></message>");
        assertThat(context.dropped()).isEqualTo(1);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(login).isNotDone();
        ch.close();
        assertThat(ch.finish()).isFalse();
    }
}
