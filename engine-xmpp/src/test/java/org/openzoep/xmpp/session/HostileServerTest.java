package org.openzoep.xmpp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StreamError;
import org.openzoep.testkit.TestPki;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlWriter;

/**
 * A scripted server inside the test does what real servers will not: DTDs and entities,
 * oversized and over-deep stanzas, broken UTF-8, spoofed iq replies and roster pushes. Each must
 * end in the right stream error or be dropped, and the client must stay healthy (no leaked
 * buffers: the leak recorder fails the class otherwise).
 */
class HostileServerTest {
    static TestPki pki;
    static SslContext serverTls;
    static XmppClient client;
    static ExecutorService callbacks;

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.shared();
        TestPki.ServerCertificate cert = pki.serverCertificate("localhost");
        serverTls = SslContextBuilder.forServer(cert.certificate().toFile(), cert.privateKey().toFile()).build();
        client = XmppClient.builder().threads(2).build();
        callbacks = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void tearDown() {
        client.close();
        callbacks.shutdown();
    }


    static XmppSessionConfig config(FakeXmppServer server) {
        return XmppSessionConfig.builder(Jid.parse("user@localhost"), "secret")
                .host("127.0.0.1").port(server.port())
                .trustStorePem(pki.caCertificate())
                .loginTimeout(Duration.ofSeconds(10))
                .iqTimeout(Duration.ofSeconds(5))
                .build();
    }

    static XmppSession login(FakeXmppServer server, RecordingListener events) throws Exception {
        return client.connect(config(server), events, callbacks).toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    /** Waits for the client's stream error among what the server received, and returns its condition. */
    static String streamErrorSentByClient(FakeXmppServer server) throws InterruptedException {
        for (XmlElement e; (e = server.nextReceived(10)) != null; ) {
            if (e.is("error", XmlWriter.STREAM_NS)) {
                return StreamError.from(e).condition();
            }
        }
        return null;
    }

    static XmppException closeCause(RecordingListener events) throws InterruptedException {
        Object c = events.closed.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("session closed with a cause").isInstanceOf(XmppException.class);
        return (XmppException) c;
    }

    @Test
    void dtdWithEntityExpansionIsRefusedAsRestrictedXml() throws Exception {
        try (FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script() {
            @Override
            boolean onFirstHeader(FakeXmppServer.Conn c) {
                c.send("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol1 '&lol;&lol;&lol;&lol;'>]>"
                        + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                        + "version='1.0'><message><body>&lol1;</body></message>");
                return false;
            }
        })) {
            CompletionStage<XmppSession> login = client.connect(config(server), new RecordingListener(), callbacks);
            assertThatThrownBy(() -> login.toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(XmppException.class, e -> {
                        assertThat(e.kind()).isEqualTo(XmppException.Kind.STREAM_ERROR);
                        assertThat(e.streamError().condition()).isEqualTo("restricted-xml");
                    });
            assertThat(streamErrorSentByClient(server)).isEqualTo("restricted-xml");
        }
    }

    @Test
    void undeclaredEntityOnlineIsRestrictedXml() throws Exception {
        hostileOnline("restricted-xml", c -> c.send("<message from='a@b'><body>&xxe;</body></message>"));
    }

    @Test
    void tenMegabyteStanzaIsAPolicyViolation() throws Exception {
        hostileOnline("policy-violation", c -> {
            c.send("<message from='a@b'><body>");
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 160 && c.channel.isActive(); i++) { // 10 MiB unless the client hangs up first
                c.channel.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(chunk)).awaitUninterruptibly();
            }
        });
    }

    @Test
    void tenThousandDeepNestingIsAPolicyViolation() throws Exception {
        hostileOnline("policy-violation", c -> c.send("<message from='a@b'>" + "<a>".repeat(10_000)));
    }

    @Test
    void invalidUtf8IsNotWellFormed() throws Exception {
        hostileOnline("not-well-formed", c -> c.sendBytes(new byte[] {'<', 'm', 'e', 's', 's', 'a', 'g', 'e', '>',
            (byte) 0xC3, (byte) 0x28, '<', '/', 'm', 'e', 's', 's', 'a', 'g', 'e', '>'}));
    }

    interface Hostility {
        void act(FakeXmppServer.Conn c);
    }

    private void hostileOnline(String expectedCondition, Hostility hostility) throws Exception {
        BlockingQueue<FakeXmppServer.Conn> online = new LinkedBlockingQueue<>();
        try (FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script() {
            @Override
            void online(FakeXmppServer.Conn c) {
                online.add(c);
            }
        })) {
            RecordingListener events = new RecordingListener();
            XmppSession session = login(server, events);
            FakeXmppServer.Conn conn = online.poll(5, TimeUnit.SECONDS);
            Thread attacker = new Thread(() -> hostility.act(conn), "attacker");
            attacker.start();
            XmppException cause = closeCause(events);
            assertThat(cause.kind()).isEqualTo(XmppException.Kind.STREAM_ERROR);
            assertThat(cause.streamError().condition()).isEqualTo(expectedCondition);
            assertThat(streamErrorSentByClient(server)).isEqualTo(expectedCondition);
            attacker.join(30_000);
            assertThat(session.isOpen()).isFalse();
            assertThat(events.stanzas).isEmpty();
        }
    }

    @Test
    void spoofedIqRepliesAreDroppedAndTheRealOneIsDelivered() throws Exception {
        try (FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script() {
            @Override
            void element(FakeXmppServer.Conn c, XmlElement e) {
                if (e.name().equals("iq") && "get".equals(e.attr("type"))) {
                    String id = e.attr("id");
                    c.send("<iq type='result' id='" + id + "' from='evil@example.net/x'><spoof xmlns='urn:t'/></iq>");
                    c.send("<iq type='result' id='" + id + "'><spoof xmlns='urn:t'/></iq>");
                    c.send("<iq type='result' id='" + id + "' from='localhost'><spoof xmlns='urn:t'/></iq>");
                    c.send("<iq type='result' id='" + id + "' from='romeo@example.net/orchard'><real xmlns='urn:t'/></iq>");
                }
            }
        })) {
            XmppSession session = login(server, new RecordingListener());
            Stanza reply = session.request(Stanza.iq("get").to("romeo@example.net/orchard").id("q1")
                    .child(XmlElement.of("query", "jabber:iq:version")).build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(reply.extension("real", "urn:t")).isNotNull();
            assertThat(session.droppedStanzas()).isEqualTo(3);
            session.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void spoofedRosterPushIsIgnoredAndAGenuineOneIsAcknowledged() throws Exception {
        try (FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script() {
            @Override
            void online(FakeXmppServer.Conn c) {
                c.send("<iq type='set' id='push1' from='evil@example.net'><query xmlns='jabber:iq:roster'>"
                        + "<item jid='mallory@evil.example'/></query></iq>");
                c.send("<iq type='set' id='push2' from='user@localhost/other'><query xmlns='jabber:iq:roster'>"
                        + "<item jid='mallory2@evil.example'/></query></iq>");
                c.send("<iq type='set' id='push3'><query xmlns='jabber:iq:roster'>"
                        + "<item jid='nurse@example.com'/></query></iq>");
            }
        })) {
            RecordingListener events = new RecordingListener();
            XmppSession session = login(server, events);
            Stanza push = events.stanzas.poll(10, TimeUnit.SECONDS);
            assertThat(push.id()).isEqualTo("push3");
            XmlElement ack = null;
            for (XmlElement e; (e = server.nextReceived(10)) != null; ) {
                if (e.name().equals("iq") && "result".equals(e.attr("type"))) {
                    ack = e;
                    break;
                }
            }
            assertThat(ack).isNotNull();
            assertThat(ack.attr("id")).isEqualTo("push3");
            assertThat(session.droppedStanzas()).isEqualTo(2);
            assertThat(events.stanzas.poll(200, TimeUnit.MILLISECONDS)).isNull();
            session.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverWithoutStartTlsIsRefusedBeforeAnyCredentialIsSent() throws Exception {
        try (FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script() {
            @Override
            String preTlsFeatures() {
                return "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                        + "<mechanism>PLAIN</mechanism></mechanisms></stream:features>";
            }
        })) {
            CompletionStage<XmppSession> login = client.connect(config(server), new RecordingListener(), callbacks);
            assertThatThrownBy(() -> login.toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(XmppException.class, e -> assertThat(e.kind()).isEqualTo(XmppException.Kind.TLS_REQUIRED));
            for (XmlElement e; (e = server.nextReceived(1)) != null; ) {
                assertThat(e.name()).isNotEqualTo("auth");
            }
        }
    }

    @Test
    void aServerThatStopsAnsweringKeepalivePingsIsDetected() throws Exception {
        try (FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script())) { // never answers
            RecordingListener events = new RecordingListener();
            XmppSessionConfig cfg = XmppSessionConfig.builder(Jid.parse("user@localhost"), "secret")
                    .host("127.0.0.1").port(server.port()).trustStorePem(pki.caCertificate())
                    .pingInterval(Duration.ofMillis(300)).iqTimeout(Duration.ofMillis(700)).build();
            XmppSession session = client.connect(cfg, events, callbacks).toCompletableFuture().get(15, TimeUnit.SECONDS);
            XmlElement ping = null;
            for (XmlElement e; ping == null && (e = server.nextReceived(5)) != null; ) {
                if (e.name().equals("iq") && e.child("ping", "urn:xmpp:ping") != null) {
                    ping = e;
                }
            }
            assertThat(ping).as("keepalive ping sent after 300 ms of silence").isNotNull();
            assertThat(ping.attr("to")).isEqualTo("localhost");
            XmppException cause = closeCause(events);
            assertThat(cause.kind()).isEqualTo(XmppException.Kind.TIMEOUT);
            assertThat(session.isOpen()).isFalse();
        }
    }

    @Test
    void afterAllThatTheClientStillLogsInAndPings() throws Exception {
        BlockingQueue<FakeXmppServer.Conn> online = new LinkedBlockingQueue<>();
        try (FakeXmppServer server = new FakeXmppServer(serverTls, new FakeXmppServer.Script() {
            @Override
            void online(FakeXmppServer.Conn c) {
                online.add(c);
            }

            @Override
            void element(FakeXmppServer.Conn c, XmlElement e) {
                if (e.name().equals("iq") && "get".equals(e.attr("type"))) {
                    c.send("<iq type='result' id='" + e.attr("id") + "' from='localhost'/>");
                }
            }
        })) {
            XmppSession session = login(server, new RecordingListener());
            assertThat(session.jid()).isEqualTo(Jid.parse("user@localhost/fake"));
            server.received.clear();
            online.take().send("<iq type='get' id='srv-ping' from='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            XmlElement answer = server.nextReceived(10);
            assertThat(answer.name()).isEqualTo("iq");
            assertThat(answer.attr("type")).isEqualTo("result");
            assertThat(answer.attr("id")).isEqualTo("srv-ping");
            assertThat(answer.attr("to")).isEqualTo("localhost");
            Stanza pong = session.request(Stanza.iq("get").to("localhost").child(XmlElement.of("ping", "urn:xmpp:ping")).build())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(pong.type()).isEqualTo("result");
            session.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(session.isOpen()).isFalse();
        }
    }
}
