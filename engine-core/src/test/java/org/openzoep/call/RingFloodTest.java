package org.openzoep.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.Account;
import org.openzoep.AccountSettings;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.media.testsupport.Await;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.jingle.Action;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleMessage;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.jingle.Reason;
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
 * Ring floods and the presence leak (issue 12, M4) on a real server: a stranger (a second real
 * account, not in bob's roster) sends 10,000 XEP-0353 proposals and groupchat proposals to bob's
 * engine with its default policy (roster contacts only); bob's application is never told, and the
 * stranger gets nothing back (no {@code ringing}, no {@code reject}). A contact with a
 * subscription still rings.
 */
class RingFloodTest {
    static ProsodyServer prosody;
    static ZoepEngine engine;
    static XmppClient client;
    static ExecutorService rogueThread = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.builder().account("bob", "bob-pw").account("mallory", "mallory-pw")
                .account("carol", "carol-pw").start();
        engine = CallRig.engine().build();
        client = XmppClient.builder().threads(1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        rogueThread.shutdownNow();
        CallRig.close(engine, prosody);
    }

    @Test
    void tenThousandProposalsFromAStrangerRingNothingAndGetNoAnswer() throws Exception {
        CallEvents be = new CallEvents();
        Account bob = CallRig.online(engine, be, prosody, "bob", "flood", RingFloodTest::defaultPolicy);
        BlockingQueue<Stanza> inbox = new LinkedBlockingQueue<>();
        XmppSession mallory = connect("mallory", "rogue", inbox);
        try {
            mallory.send(Stanza.presence().build());
            for (int i = 0; i < 10_000; i++) {
                String sid = "flood-" + i;
                mallory.send(JingleMessage.proposeAudio(sid).toMessage(i % 2 == 0 ? bob.jid() : bob.jid().bare(), sid));
            }
            for (int i = 0; i < 100; i++) {
                String sid = "room-" + i;
                mallory.send(Stanza.message().to(bob.jid()).type("groupchat").id(sid)
                        .child(JingleMessage.proposeAudio(sid).toXml()).build());
            }
            // bob's account handles its stanzas in order: once this request is answered, every
            // proposal before it has been handled
            Jingle probe = new Jingle(Action.SESSION_TERMINATE, "probe", null, null, List.of(),
                    new Reason(Reason.Condition.SUCCESS, null), null);
            Stanza answer = mallory.request(Stanza.iq("set").to(bob.jid()).id("probe").child(probe.toXml()).build())
                    .handle((r, e) -> r).toCompletableFuture().get(120, TimeUnit.SECONDS);
            assertThat(answer).as("the probe fails with unknown-session, so its error is not a result").isNull();

            List<String> told = new ArrayList<>();
            for (CallRecord r : drain(be)) {
                told.add(r.toString());
            }
            assertThat(told).as("bob's application is never told about a stranger's call").isEmpty();
            List<Stanza> back = new ArrayList<>();
            inbox.drainTo(back);
            assertThat(back.stream().filter(s -> s.kind() == Stanza.Kind.MESSAGE
                    && s.from() != null && s.from().bare().equals(bob.jid().bare())).toList())
                    .as("no ringing, no reject: nothing tells the stranger that bob's device is online").isEmpty();
            mallory.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            engine.unregisterAccount(bob);
        }
    }

    @Test
    void aRosterContactWithASubscriptionStillRings() throws Exception {
        BlockingQueue<Stanza> bobInbox = new LinkedBlockingQueue<>();
        CallEvents be = new CallEvents() {
            @Override
            public void onStanza(Account account, Stanza stanza) {
                bobInbox.add(stanza);
            }
        };
        Account bob = CallRig.online(engine, be, prosody, "bob", "contact", RingFloodTest::defaultPolicy);
        BlockingQueue<Stanza> inbox = new LinkedBlockingQueue<>();
        XmppSession carol = connect("carol", "desk", inbox);
        try {
            carol.send(Stanza.presence().build());
            // carol asks to see bob's presence and bob approves (RFC 6121 section 3.1): bob's roster
            // now has carol with subscription 'from'
            carol.send(Stanza.presence().to(bob.jid().bare()).type("subscribe").build());
            SecurityTest.poll(bobInbox, s -> s.kind() == Stanza.Kind.PRESENCE && "subscribe".equals(s.type()));
            bob.send(Stanza.presence().to(carol.jid().bare()).type("subscribed").build())
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            Await.until("carol in bob's roster with subscription 'from'", Duration.ofSeconds(10),
                    () -> subscription(bob, carol.jid()).equals("from"));
            String sid = "contact-" + System.nanoTime();
            carol.send(JingleMessage.proposeAudio(sid).toMessage(bob.jid(), sid));
            assertThat(be.next(CallEvent.Kind.INCOMING, 10).call().peer().bare()).isEqualTo(carol.jid().bare());
            Stanza ringing = SecurityTest.poll(inbox, s -> s.kind() == Stanza.Kind.MESSAGE
                    && s.element().child("ringing", JingleNamespaces.JMI) != null);
            assertThat(ringing.from()).isEqualTo(bob.jid());
            carol.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            engine.unregisterAccount(bob);
        }
    }

    /** The rig lets anyone call; these tests use the engine's default (roster contacts). */
    static AccountSettings defaultPolicy(AccountSettings s) {
        return s.withIncomingCalls(AccountSettings.defaults().incomingCalls());
    }

    /** The subscription {@code contact} has in {@code account}'s roster on the server ("" if none). */
    static String subscription(Account account, Jid contact) {
        try {
            Stanza r = account.request(Stanza.iq("get").id("r" + System.nanoTime())
                    .child(XmlElement.of("query", "jabber:iq:roster")).build()).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            for (XmlElement item : r.payload().elements()) {
                if (contact.bare().toString().equals(item.attr("jid"))) {
                    return String.valueOf(item.attr("subscription"));
                }
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record CallRecord(String event) {
    }

    static List<CallRecord> drain(CallEvents be) {
        List<CallEvents.Seen> seen = new ArrayList<>();
        be.events.drainTo(seen);
        List<CallRecord> out = new ArrayList<>();
        for (CallEvents.Seen s : seen) {
            out.add(new CallRecord(s.event() + " " + s.call().id() + " from " + s.call().peer()));
        }
        return out;
    }

    static XmppSession connect(String user, String resource, BlockingQueue<Stanza> inbox) throws Exception {
        Jid jid = Jid.parse(user + "@" + prosody.domain() + "/" + resource);
        return client.connect(XmppSessionConfig.builder(jid, user + "-pw").host(prosody.host()).port(prosody.port())
                .tlsMode(TlsMode.STARTTLS).trustStorePem(prosody.caCertificate()).build(), new XmppSessionListener() {
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
    }
}
