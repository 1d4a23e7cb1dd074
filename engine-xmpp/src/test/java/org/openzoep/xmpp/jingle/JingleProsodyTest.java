package org.openzoep.xmpp.jingle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.session.XmppClient;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.session.XmppSessionConfig;
import org.openzoep.xmpp.session.XmppSessionListener;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * JMI and Jingle through a real Prosody between two sessions: what one side writes, the other
 * reads back as the same records, and Jingle errors arrive as the typed stanza errors they are.
 */
class JingleProsodyTest {
    static ProsodyServer prosody;
    static XmppClient client;
    static ExecutorService callbacks;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().account("romeo", "romeo-pw").account("juliet", "juliet-pw").start();
        client = XmppClient.builder().threads(1).discoFeatures(JingleNamespaces.CALL_FEATURES).build();
        callbacks = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        client.close();
        callbacks.shutdown();
        prosody.close();
    }

    /** Records messages, and answers jingle iqs the way engine-core will: parse, then result or error. */
    static final class Peer implements XmppSessionListener {
        final BlockingQueue<Stanza> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<Jingle> jingles = new LinkedBlockingQueue<>();
        final String knownSid;

        Peer(String knownSid) {
            this.knownSid = knownSid;
        }

        @Override
        public void onStanza(XmppSession session, Stanza stanza) {
            if (stanza.kind() == Stanza.Kind.MESSAGE) {
                messages.add(stanza);
            }
        }

        @Override
        public void onIqRequest(XmppSession session, Stanza iq) {
            try {
                Jingle j = Jingle.fromIq(iq);
                if (!j.sid().equals(knownSid)) {
                    throw JingleException.unknownSession();
                }
                jingles.add(j);
                session.send(iq.result());
            } catch (JingleException e) {
                session.send(e.errorReply(iq));
            }
        }
    }

    static XmppSession login(String user, XmppSessionListener l) throws Exception {
        return client.connect(XmppSessionConfig.builder(Jid.parse(user + "@" + prosody.domain()), user + "-pw")
                .host(prosody.host()).port(prosody.port()).trustStorePem(prosody.caCertificate()).resource("phone")
                .loginTimeout(Duration.ofSeconds(15)).iqTimeout(Duration.ofSeconds(10)).build(), l, callbacks)
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aCallIsProposedAcceptedInitiatedAndRefusedForAnUnknownSession() throws Exception {
        String sid = "ca3cf894-5325-482f-a412-a6e9f832298d";
        Peer romeoSide = new Peer(sid);
        Peer julietSide = new Peer(sid);
        XmppSession romeo = login("romeo", romeoSide);
        XmppSession juliet = login("juliet", julietSide);
        // available presence (with our caps) so that a message to the bare JID reaches her resource
        juliet.send(Stanza.presence().child(juliet.capsElement()).build()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        juliet.request(Stanza.iq("get").to(prosody.domain()).child(XmlElement.of("ping", "urn:xmpp:ping")).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        JingleMessage propose = JingleMessage.proposeAudio(sid);
        romeo.send(propose.toMessage(juliet.jid().bare(), "m1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Stanza got = julietSide.messages.poll(10, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.from()).isEqualTo(romeo.jid());
        assertThat(JingleMessage.from(got)).contains(propose);

        JingleMessage proceed = JingleMessage.of(JingleMessage.Kind.PROCEED, sid, null);
        juliet.send(proceed.toMessage(romeo.jid())).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(JingleMessage.from(romeoSide.messages.poll(10, TimeUnit.SECONDS))).contains(proceed);

        Jingle initiate = Jingle.sessionInitiate(sid, romeo.jid(), List.of(new Content("initiator", "audio", "both",
                new RtpDescription("audio", 0x12345678L, List.of(new PayloadType(111, "opus", 48000, 2,
                        Map.of("useinbandfec", "1"))), true),
                new IceUdpTransport("8hhy", "asd88fgpdd777uzjYhagZg",
                        new Fingerprint("sha-256", "actpass", "02:1A:CC:54"),
                        List.of(new Candidate(1, "1", 0, "c1", "192.0.2.1", 0, 9998, 2130706431L, "udp", "host",
                                null, null))))));
        Stanza result = romeo.request(initiate.toIq(null, juliet.jid(), "j1")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(result.type()).isEqualTo("result");
        assertThat(julietSide.jingles.poll(5, TimeUnit.SECONDS)).isEqualTo(initiate);

        Jingle stray = Jingle.sessionInfo("no-such-session", SessionInfo.of(SessionInfo.Kind.RINGING));
        assertThatThrownBy(() -> juliet.request(stray.toIq(null, romeo.jid(), "j2")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(XmppException.class, e -> {
                    assertThat(e.kind()).isEqualTo(XmppException.Kind.STANZA_ERROR);
                    assertThat(e.stanzaError().condition()).isEqualTo("item-not-found");
                    assertThat(e.stanzaError().appCondition().is("unknown-session", JingleNamespaces.ERRORS)).isTrue();
                });
        romeo.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        juliet.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
