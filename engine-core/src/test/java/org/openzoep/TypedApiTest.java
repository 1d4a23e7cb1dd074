package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.session.XmppException;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/** The typed Java API against a real Prosody: presence subscription both ways and 1,000 ordered messages. */
class TypedApiTest {
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().account("alice", "alice-pw").account("bob", "bob-pw").start();
        engine = ZoepEngine.builder().build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        prosody.close();
    }

    static final class Inbox implements AccountListener {
        final BlockingQueue<Stanza> stanzas = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> states = new LinkedBlockingQueue<>();
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void onStanza(Account a, Stanza s) {
            threads.add(Thread.currentThread().getName());
            stanzas.add(s);
        }

        @Override
        public void onStateChanged(Account a, boolean online, XmppException cause) {
            states.add(online);
        }

        Stanza next(java.util.function.Predicate<Stanza> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                Stanza s = stanzas.poll(1, TimeUnit.SECONDS);
                if (s != null && p.test(s)) {
                    return s;
                }
            }
            throw new AssertionError("no matching stanza within 20 s");
        }
    }

    static Account online(Inbox inbox, String user, String password) throws Exception {
        Account a = engine.registerAccount(inbox);
        a.configure(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                .withTls(TlsMode.STARTTLS, prosody.caCertificate())).toCompletableFuture().get();
        Jid jid = a.login(Jid.parse(user + "@" + prosody.domain() + "/typed"), password).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertThat(jid).isEqualTo(Jid.parse(user + "@" + prosody.domain() + "/typed"));
        assertThat(inbox.states.poll(5, TimeUnit.SECONDS)).isTrue();
        return a;
    }

    static boolean presenceOf(Stanza s, String type, Jid from) {
        return s.kind() == Stanza.Kind.PRESENCE && java.util.Objects.equals(s.type(), type) && s.from() != null
                && s.from().bare().equals(from.bare());
    }

    @Test
    void presenceExchangeAndAThousandMessagesInOrder() throws Exception {
        Inbox aliceIn = new Inbox();
        Inbox bobIn = new Inbox();
        Account alice = online(aliceIn, "alice", "alice-pw");
        Account bob = online(bobIn, "bob", "bob-pw");
        Jid aliceJid = alice.jid();
        Jid bobJid = bob.jid();
        alice.sendPresence("here").toCompletableFuture().get();
        bob.sendPresence("here too").toCompletableFuture().get();

        // RFC 6121 subscription both ways, then each sees the other's presence
        alice.send(Stanza.presence().to(bobJid.bare()).type("subscribe").build());
        bobIn.next(s -> presenceOf(s, "subscribe", aliceJid));
        bob.send(Stanza.presence().to(aliceJid.bare()).type("subscribed").build());
        bob.send(Stanza.presence().to(aliceJid.bare()).type("subscribe").build());
        aliceIn.next(s -> presenceOf(s, "subscribe", bobJid));
        alice.send(Stanza.presence().to(bobJid.bare()).type("subscribed").build());
        Stanza bobSeen = aliceIn.next(s -> presenceOf(s, null, bobJid));
        assertThat(bobSeen.from()).isEqualTo(bobJid);
        alice.sendPresence("subscribed now").toCompletableFuture().get();
        Stanza aliceSeen = bobIn.next(s -> presenceOf(s, null, aliceJid));
        assertThat(aliceSeen.from()).isEqualTo(aliceJid);

        // the roster now holds each other (iq through the typed API)
        Stanza roster = alice.request(Stanza.iq("get").child(XmlElement.of("query", "jabber:iq:roster")).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(roster.extension("query", "jabber:iq:roster").elements())
                .anySatisfy(item -> assertThat(item.attr("jid")).isEqualTo(bobJid.bare().toString()));

        int n = 1000;
        List<CompletableFuture<Void>> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sent.add(alice.sendMessage(bobJid, "message " + i).toCompletableFuture());
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            Stanza m = bobIn.next(s -> s.kind() == Stanza.Kind.MESSAGE && s.body() != null);
            assertThat(m.body()).isEqualTo("message " + i);
            assertThat(m.from()).isEqualTo(aliceJid);
        }

        // callbacks run on the engine's API executor, never on an event loop
        assertThat(bobIn.threads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("zoep-api"));

        alice.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(aliceIn.states.poll(10, TimeUnit.SECONDS)).isFalse();
        bobIn.next(s -> presenceOf(s, "unavailable", aliceJid));
        assertThatThrownBy(() -> alice.sendMessage(bobJid, "after logout").toCompletableFuture().get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(AccountFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(AccountFailure.Reason.NOT_LOGGED_IN);
                    assertThat(e.condition()).isEqualTo("not-authorized");
                });
        bob.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
        engine.unregisterAccount(alice);
        engine.unregisterAccount(bob);
    }

    @Test
    void wrongPasswordFailsTheStageWithAuthFailed() {
        Account a = engine.registerAccount(new Inbox());
        a.configure(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                .withTls(TlsMode.STARTTLS, prosody.caCertificate()));
        assertThatThrownBy(() -> a.login(Jid.parse("alice@" + prosody.domain()), "nope").toCompletableFuture()
                .get(20, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(AccountFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(AccountFailure.Reason.AUTH_FAILED);
                    assertThat(e.condition()).isEqualTo("not-authorized");
                    assertThat(e.zoepCondition()).isEqualTo("auth-failed");
                    assertThat(e.xmppCause().kind()).isEqualTo(XmppException.Kind.AUTH_FAILED);
                });
        engine.unregisterAccount(a);
    }
}
