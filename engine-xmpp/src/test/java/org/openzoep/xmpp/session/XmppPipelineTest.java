package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.disco.EntityCaps;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.TestPki;
import org.openzoep.xmpp.tls.TlsContexts;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * The whole stage pipeline ({@link XmppPipeline}) on an {@link EmbeddedChannel}: the steps before TLS,
 * and errors; and disco#info with the XEP-0115 caps node through a logged-in session.
 */
class XmppPipelineTest {
    static final String SERVER_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>";

    EmbeddedChannel channel;
    CompletableFuture<XmppSession> login;

    @BeforeEach
    void setUp() throws Exception {
        SslContext ssl = new TlsContexts().forTrustStore(Optional.empty(), TlsMode.STARTTLS);
        XmppSessionConfig cfg = XmppSessionConfig.builder(Jid.parse("alice@localhost"), "pw").build();
        login = new CompletableFuture<>();
        XmppSessionListener listener = new XmppSessionListener() {
            @Override
            public void onStanza(XmppSession s, Stanza st) {
            }
        };
        channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                XmppPipeline.install(ch, cfg, ssl, Runnable::run, new SerialExecutor(Runnable::run), listener, List.of(),
                        ServiceResponder.capsElement(List.of()), login);
            }
        });
    }

    String written() {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    void serverSends(String xml) {
        channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
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

    @Test
    void opensTheStreamAndAsksForStartTls() {
        assertThat(written()).startsWith("<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns='jabber:client'")
                .contains("to='localhost'").contains("version='1.0'");
        serverSends(SERVER_HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
                + "<required/></starttls></stream:features>");
        assertThat(written()).isEqualTo("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(login).isNotDone();
        channel.close();
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.CLOSED);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void refusesToAuthenticateWithoutTls() {
        written();
        serverSends(SERVER_HEADER + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>PLAIN</mechanism></mechanisms></stream:features>");
        assertThat(written()).isEqualTo("</stream:stream>").doesNotContain("auth");
        assertThat(channel.isOpen()).isFalse();
        assertThat(loginFailure().kind()).isEqualTo(XmppException.Kind.TLS_REQUIRED);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aStreamErrorFromTheServerIsTyped() {
        written();
        serverSends(SERVER_HEADER + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>no such domain</text></stream:error>");
        XmppException e = loginFailure();
        assertThat(e.kind()).isEqualTo(XmppException.Kind.STREAM_ERROR);
        assertThat(e.streamError().condition()).isEqualTo("host-unknown");
        assertThat(e.streamError().text()).isEqualTo("no such domain");
        assertThat(written()).isEqualTo("</stream:stream>");
        assertThat(channel.finish()).isFalse();
    }

    /** The same, through the whole pipeline from bytes, with the server's words cut in two at every byte. */
    @Test
    void aStreamErrorSplitAtEveryByteIsTypedTheSame() throws Exception {
        byte[] words = (SERVER_HEADER + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "</stream:error>").getBytes(StandardCharsets.UTF_8);
        channel.finishAndReleaseAll();
        for (int cut = 1; cut < words.length; cut++) {
            setUp();
            written();
            channel.writeInbound(Unpooled.copiedBuffer(words, 0, cut));
            assertThat(login).as("split at %d", cut).isNotDone();
            channel.writeInbound(Unpooled.copiedBuffer(words, cut, words.length - cut));
            assertThat(loginFailure().streamError().condition()).isEqualTo("host-unknown");
            assertThat(written()).isEqualTo("</stream:stream>");
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void aWrongContentNamespaceOrVersionIsAnsweredWithAStreamError() {
        written();
        serverSends("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
        assertThat(written()).startsWith("<stream:error><invalid-namespace xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                .endsWith("</stream:stream>");
        assertThat(loginFailure().streamError().condition()).isEqualTo("invalid-namespace");
        channel.finishAndReleaseAll();
    }

    @Test
    void restrictedXmlFromTheServerIsAnsweredWithRestrictedXml() {
        written();
        serverSends(SERVER_HEADER + "<!-- hi -->");
        assertThat(written()).contains("<restricted-xml xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        assertThat(loginFailure().streamError().condition()).isEqualTo("restricted-xml");
        channel.finishAndReleaseAll();
    }

    // ---- disco#info and XEP-0115 caps ----

    @Test
    void aLoggedInSessionAnswersTheCapsNodeWithTheFeaturesItWasBuiltWith() throws Exception {
        channel.finishAndReleaseAll();
        TestPki pki = TestPki.shared();
        TestPki.ServerCertificate cert = pki.serverCertificate("localhost");
        SslContext serverTls = SslContextBuilder.forServer(cert.certificate().toFile(), cert.privateKey().toFile()).build();
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        BlockingQueue<FakeXmppServer.Conn> online = new LinkedBlockingQueue<>();
        try (XmppClient client = XmppClient.builder().threads(1).discoFeatures(JingleNamespaces.CALL_FEATURES).build();
                FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script() {
                    @Override
                    void online(FakeXmppServer.Conn c) {
                        online.add(c);
                    }
                })) {
            XmppSession session = client.connect(XmppSessionConfig.builder(Jid.parse("user@localhost"), "secret")
                    .host("127.0.0.1").port(server.port()).trustStorePem(pki.caCertificate())
                    .loginTimeout(Duration.ofSeconds(10)).build(), new RecordingListener(), callbacks)
                    .toCompletableFuture().get(15, TimeUnit.SECONDS);
            XmlElement caps = session.capsElement();
            assertThat(caps.attr("node")).isEqualTo("https://openzoep.org");
            String node = caps.attr("node") + "#" + caps.attr("ver");
            online.poll(10, TimeUnit.SECONDS).send("<iq type='get' id='caps1' from='juliet@capulet.lit/balcony'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info' node='" + node + "'/></iq>");
            XmlElement reply = null;
            for (XmlElement e; (e = server.nextReceived(10)) != null; ) {
                if ("caps1".equals(e.attr("id"))) {
                    reply = e;
                    break;
                }
            }
            assertThat(reply).isNotNull();
            assertThat(reply.attr("type")).isEqualTo("result");
            XmlElement q = reply.child("query", ServiceResponder.DISCO_INFO_NS);
            assertThat(q.attr("node")).isEqualTo(node);
            assertThat(ServiceResponderTest.features(q)).contains(EntityCaps.NS, "urn:xmpp:jingle:1", "urn:xmpp:jingle-message:0",
                    "urn:xmpp:jingle:apps:dtls:0");
            assertThat(EntityCaps.verification(q)).isEqualTo(caps.attr("ver"));
            session.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            callbacks.shutdown();
        }
    }
}
