package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.Account;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Candidate;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Fingerprint;
import org.openzoep.xmpp.jingle.IceUdpTransport;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.jingle.PayloadType;
import org.openzoep.xmpp.jingle.Reason;
import org.openzoep.xmpp.jingle.RtpDescription;
import org.openzoep.xmpp.session.XmppClient;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.session.XmppSession;
import org.openzoep.xmpp.session.XmppSessionConfig;
import org.openzoep.xmpp.session.XmppSessionListener;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * Peers that answer but cannot be reached, or answer what was not offered: a scripted XMPP client
 * (no media stack) plays the callee, and the engine must end the call with the right error and
 * tell the peer with the right Jingle reason.
 */
class PeerFailureTest {
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.builder().account("alice", "alice-pw").account("peer", "peer-pw").start();
        engine = CallRig.engine().setupTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        CallRig.close(engine, prosody);
    }

    /** A scripted callee: answers JMI with proceed, then answers the session-initiate with {@code accept}. */
    static final class ScriptedPeer implements AutoCloseable {
        final BlockingQueue<Stanza> inbox = new LinkedBlockingQueue<>();
        final XmppClient client = XmppClient.builder().threads(1).build();
        final ExecutorService exec = Executors.newSingleThreadExecutor();
        final XmppSession session;
        final Jid jid;

        ScriptedPeer() throws Exception {
            jid = Jid.parse("peer@" + prosody.domain() + "/script");
            session = client.connect(XmppSessionConfig.builder(jid, "peer-pw").host(prosody.host())
                    .port(prosody.port()).tlsMode(TlsMode.STARTTLS).trustStorePem(prosody.caCertificate()).build(),
                    new XmppSessionListener() {
                        @Override
                        public void onStanza(XmppSession s, Stanza stanza) {
                            inbox.add(stanza);
                        }

                        @Override
                        public void onIqRequest(XmppSession s, Stanza iq) {
                            s.send(iq.result());
                            inbox.add(iq);
                        }

                        @Override
                        public void onClosed(XmppSession s, XmppException cause) {
                        }
                    }, exec).toCompletableFuture().get(20, TimeUnit.SECONDS);
            session.send(Stanza.presence().build());
        }

        Stanza await(Predicate<Stanza> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Stanza s = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (s != null && p.test(s)) {
                    return s;
                }
            }
            throw new AssertionError("no matching stanza within 30 s");
        }

        Stanza jingle(String action) throws InterruptedException {
            return await(s -> s.kind() == Stanza.Kind.IQ && s.payload() != null
                    && action.equals(s.payload().attr("action")));
        }

        /** Takes the proposal, proceeds, and returns the session-initiate. */
        Jingle proceed() throws Exception {
            Stanza propose = await(s -> s.kind() == Stanza.Kind.MESSAGE
                    && s.element().child("propose", JingleNamespaces.JMI) != null);
            String id = propose.element().child("propose", JingleNamespaces.JMI).attr("id");
            session.send(JingleMessage.of(JingleMessage.Kind.PROCEED, id, null).toMessage(propose.from()));
            return Jingle.parse(jingle("session-initiate").payload());
        }

        void accept(Jingle initiate, Jid caller, List<PayloadType> payloads, List<Candidate> candidates) {
            Content offered = initiate.contents().get(0);
            Jingle accept = new Jingle(Action.SESSION_ACCEPT, initiate.sid(), caller, jid, List.of(new Content(
                    offered.creator(), offered.name(), "both", new RtpDescription("audio", null, payloads, true),
                    new IceUdpTransport("peerufrag", "peerpasswordpeerpassword", new Fingerprint("sha-256", "active",
                            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"),
                            candidates))), null, null);
            session.request(Stanza.iq("set").to(caller).id("acc-" + initiate.sid()).child(accept.toXml()).build());
        }

        @Override
        public void close() throws Exception {
            session.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
            client.close();
            exec.shutdown();
        }
    }


    @Test
    void anUnreachablePeerEndsTheCallWithAnIceError() throws Exception {
        CallEvents ae = new CallEvents();
        Account alice = CallRig.online(engine, ae, prosody, "alice", "fail");
        try (ScriptedPeer peer = new ScriptedPeer()) {
            alice.call(peer.jid, CallAudio.silence());
            Jingle initiate = peer.proceed();
            assertThat(initiate.contents().get(0).transport().fingerprint()).isNotNull();
            // a candidate where nothing listens: every connectivity check goes unanswered
            peer.accept(initiate, alice.jid(), List.of(new PayloadType(111, "opus", 48000, 2, Map.of())),
                    List.of(new Candidate(1, "1", 0, "c1", "127.0.0.1", 0, 9, 2130706431L, "udp", "host", null, null)));
            CallEnd end = ae.next(CallEvent.Kind.ENDED, 30).event().end();
            assertThat(end.reason()).isEqualTo(CallEnd.Reason.ICE_FAILED);
            assertThat(end.condition()).isEqualTo("remote-server-timeout");
            Jingle terminate = Jingle.parse(peer.jingle("session-terminate").payload());
            assertThat(terminate.reason().condition()).isEqualTo(Reason.Condition.CONNECTIVITY_ERROR);
        } finally {
            engine.unregisterAccount(alice);
        }
    }

    @Test
    void anAnswerWithACodecThatWasNotOfferedIsRefused() throws Exception {
        CallEvents ae = new CallEvents();
        Account alice = CallRig.online(engine, ae, prosody, "alice", "fail");
        try (ScriptedPeer peer = new ScriptedPeer()) {
            alice.call(peer.jid, CallAudio.silence());
            Jingle initiate = peer.proceed();
            peer.accept(initiate, alice.jid(), List.of(new PayloadType(18, "G729", 8000, 1, Map.of())), List.of());
            CallEnd end = ae.next(CallEvent.Kind.ENDED, 30).event().end();
            assertThat(end.reason()).isEqualTo(CallEnd.Reason.NO_COMMON_CODEC);
            Jingle terminate = Jingle.parse(peer.jingle("session-terminate").payload());
            assertThat(terminate.reason().condition()).isEqualTo(Reason.Condition.FAILED_APPLICATION);
        } finally {
            engine.unregisterAccount(alice);
        }
    }

    @Test
    void aVideoOnlyProposalIsRejectedWithoutRinging() throws Exception {
        CallEvents ae = new CallEvents();
        Account alice = CallRig.online(engine, ae, prosody, "alice", "video");
        try (ScriptedPeer peer = new ScriptedPeer()) {
            String id = "video-" + System.nanoTime();
            peer.session.send(new JingleMessage(JingleMessage.Kind.PROPOSE, id, List.of(RtpDescription.of("video")),
                    null).toMessage(alice.jid(), id));
            Stanza reject = peer.await(s -> s.kind() == Stanza.Kind.MESSAGE
                    && s.element().child("reject", JingleNamespaces.JMI) != null);
            JingleMessage r = JingleMessage.from(reject).orElseThrow();
            assertThat(r.id()).isEqualTo(id);
            assertThat(r.reason().condition()).isEqualTo(Reason.Condition.UNSUPPORTED_APPLICATIONS);
            assertThat(ae.events.poll(500, TimeUnit.MILLISECONDS)).as("nothing rang").isNull();
        } finally {
            engine.unregisterAccount(alice);
        }
    }

    @Test
    void malformedAndUnknownJingleRequestsGetTheXepErrors() throws Exception {
        CallEvents ae = new CallEvents();
        Account alice = CallRig.online(engine, ae, prosody, "alice", "hostile");
        try (ScriptedPeer peer = new ScriptedPeer()) {
            // no sid: bad-request
            Stanza bad = Stanza.iq("set").to(alice.jid()).id("j1").child(org.openzoep.xmpp.xml.XmlElement
                    .builder("jingle", JingleNamespaces.JINGLE).attr("action", "transport-info").build()).build();
            java.util.concurrent.CompletableFuture<Stanza> r1 = peer.session.request(bad).toCompletableFuture();
            Throwable e1 = org.assertj.core.api.Assertions.catchThrowable(() -> r1.get(10, TimeUnit.SECONDS));
            assertThat(e1).hasCauseInstanceOf(XmppException.class);
            assertThat(((XmppException) e1.getCause()).stanzaError().condition()).isEqualTo("bad-request");
            // a session nobody knows: item-not-found + unknown-session
            Jingle unknown = new Jingle(Action.SESSION_TERMINATE, "no-such-session", null, null, List.of(),
                    new Reason(Reason.Condition.SUCCESS, null), null);
            java.util.concurrent.CompletableFuture<Stanza> r2 = peer.session.request(Stanza.iq("set").to(alice.jid())
                    .id("j2").child(unknown.toXml()).build()).toCompletableFuture();
            Throwable e2 = org.assertj.core.api.Assertions.catchThrowable(() -> r2.get(10, TimeUnit.SECONDS));
            org.openzoep.xmpp.stanza.StanzaError se = ((XmppException) e2.getCause()).stanzaError();
            assertThat(se.condition()).isEqualTo("item-not-found");
            assertThat(se.appCondition().name()).isEqualTo("unknown-session");
            assertThat(ae.events.poll(300, TimeUnit.MILLISECONDS)).as("nothing rang").isNull();
        } finally {
            engine.unregisterAccount(alice);
        }
    }
}
