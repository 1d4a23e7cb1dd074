package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
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
import org.openzoep.Account;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Candidate;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Fingerprint;
import org.openzoep.xmpp.jingle.IceUdpTransport;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.PayloadType;
import org.openzoep.xmpp.jingle.RtpDescription;
import org.openzoep.xmpp.session.XmppClient;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.session.XmppSessionConfig;
import org.openzoep.xmpp.session.XmppSessionListener;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Remote names on a real server (issue 12, M1): a caller's session-initiate carries non-ASCII
 * payload-type parameter names, a non-ASCII content name and unknown elements with non-ASCII
 * names. Bob's engine answers with a session-accept that Prosody delivers (so it is well-formed),
 * that keeps the content name and echoes none of the rest, and bob's stream stays up.
 */
class RemoteNamesCallTest {
    static final String FP = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    static ProsodyServer prosody;
    static ZoepEngine engine;
    static final ExecutorService rogueThread = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.builder().account("bob", "bob-pw").account("mallory", "mallory-pw").start();
        engine = CallRig.engine().build();
    }

    @AfterAll
    static void stop() throws Exception {
        rogueThread.shutdownNow();
        CallRig.close(engine, prosody);
    }

    @Test
    void theSessionAcceptToNonAsciiNamesIsDeliveredAndTheStreamStaysUp() throws Exception {
        CallEvents be = new CallEvents();
        Account bob = CallRig.online(engine, be, prosody, "bob", "names");
        BlockingQueue<Stanza> inbox = new LinkedBlockingQueue<>();
        XmppClient client = XmppClient.builder().threads(1).build();
        try {
            Jid malloryJid = Jid.parse("mallory@" + prosody.domain() + "/rogue");
            XmppSession mallory = client.connect(XmppSessionConfig.builder(malloryJid, "mallory-pw")
                    .host(prosody.host()).port(prosody.port()).tlsMode(TlsMode.STARTTLS)
                    .trustStorePem(prosody.caCertificate()).build(), new XmppSessionListener() {
                        @Override
                        public void onStanza(XmppSession s, Stanza stanza) {
                            inbox.add(stanza);
                        }

                        @Override
                        public void onIqRequest(XmppSession s, Stanza iq) {
                            inbox.add(iq);
                            s.send(iq.result());
                        }

                        @Override
                        public void onClosed(XmppSession s, XmppException cause) {
                        }
                    }, rogueThread).toCompletableFuture().get(20, TimeUnit.SECONDS);
            mallory.send(Stanza.presence().build());
            String sid = "näme-" + System.nanoTime();
            mallory.send(JingleMessage.proposeAudio(sid).toMessage(bob.jid(), sid));
            be.next(CallEvent.Kind.INCOMING, 10).call().answer();
            Map<String, String> params = new LinkedHashMap<>();
            params.put("useinbandfec", "1");
            params.put("ünïcode-päram", "1");
            params.put("名前", "値");
            Jingle initiate = new Jingle(Action.SESSION_INITIATE, sid, malloryJid, null, List.of(new Content("initiator",
                    "голос", "both", new RtpDescription("audio", null, List.of(new PayloadType(111, "opus", 48000, 2,
                            params, List.of(XmlElement.builder("ñame", "urn:x:ü").build()))), true,
                            List.of(XmlElement.builder("ext-é", "urn:y").text("ü").build())),
                    new IceUdpTransport("ufrag", "passwordpasswordpassword", new Fingerprint("sha-256", "actpass", FP),
                            List.of(new Candidate(1, "1", 0, "c1", "127.0.0.1", 0, 9, 2130706431L, "udp", "host",
                                    null, null))))), null, null);
            Stanza ack = mallory.request(Stanza.iq("set").to(bob.jid()).id("si1").child(initiate.toXml()).build())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(ack.type()).isEqualTo("result");
            Stanza accept = SecurityTest.poll(inbox, s -> s.kind() == Stanza.Kind.IQ && s.payload() != null
                    && "session-accept".equals(s.payload().attr("action")));
            String xml = accept.element().toXml();
            for (String foreign : new String[] {"ünïcode", "名前", "値", "ñame", "ext-é", "urn:x:ü", "urn:y"}) {
                assertThat(xml).as("the session-accept echoes '%s'", foreign).doesNotContain(foreign);
            }
            assertThat(Jingle.parse(accept.payload()).contents().get(0).name()).isEqualTo("голос");
            // bob's stream is still up: a message from bob arrives
            bob.sendMessage(malloryJid, "still here").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Stanza msg = SecurityTest.poll(inbox, s -> s.kind() == Stanza.Kind.MESSAGE && "still here".equals(s.body()));
            assertThat(msg.from()).isEqualTo(bob.jid());
            mallory.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
            engine.unregisterAccount(bob);
        }
    }
}
