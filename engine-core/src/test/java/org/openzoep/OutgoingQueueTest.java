package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.TcpProxy;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * What the application writes and the engine cannot send at once, against a real Prosody:
 * stanzas written while the login is under way wait for it (bounded) and go out in order, or come
 * back as errors if it fails; a server that stops reading (a proxy that pauses) makes the engine
 * refuse stanzas with {@code resource-constraint}, each one answered, the accepted ones delivered
 * in order.
 */
class OutgoingQueueTest {
    static ProsodyServer prosody;
    static TcpProxy proxy;
    static ZoepEngine engine;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().account("erik", "erik-pw").account("suzan", "suzan-pw")
                .account("joe", "joe-pw").account("ann", "ann-pw").start();
        proxy = TcpProxy.to(prosody.host(), prosody.port());
        engine = ZoepEngine.builder().build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        proxy.close();
        prosody.close();
    }

    static String configuration(String host, int port) {
        return "<iq type='set' id='cfg'><configuration xmlns='http://openzoep.org/protocol/configuration'>"
                + "<server host='" + host + "' port='" + port + "'/>"
                + "<tls mode='starttls' trust-store='" + prosody.caCertificate() + "'/>"
                + "<resource>Zoep</resource></configuration></iq>";
    }

    static String login(String id, String user, String password) {
        return "<iq type='set' id='" + id + "'><query xmlns='jabber:iq:auth'><username>" + user
                + "</username><password>" + password + "</password><resource>Zoep</resource></query></iq>";
    }

    /** Opens the stream and configures it; the login is the test's. */
    static Account open(XmlRecorder app, String host, int port) throws Exception {
        Account a = engine.registerAccount(app);
        a.write("<?xml version='1.0'?><stream:stream to='" + prosody.domain()
                + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        assertThat(app.next()).contains("<stream:stream");
        a.write(configuration(host, port));
        assertThat(app.nextElement().attr("type")).isEqualTo("result");
        return a;
    }

    static Account loggedIn(XmlRecorder app, String user) throws Exception {
        Account a = open(app, prosody.host(), prosody.port());
        a.write(login("in", user, user + "-pw"));
        assertThat(app.nextElement(e -> "in".equals(e.attr("id"))).attr("type")).isEqualTo("result");
        return a;
    }

    static String suzan() {
        return "suzan@" + prosody.domain() + "/Zoep";
    }

    /** The next message or presence from {@code from} at {@code app}, from the stanzas it was given. */
    static Stanza nextFrom(XmlRecorder app, String from) throws InterruptedException {
        while (true) {
            Stanza s = app.stanzas.poll(20, TimeUnit.SECONDS);
            assertThat(s).as("a stanza from %s within 20 s", from).isNotNull();
            if (s.kind() != Stanza.Kind.IQ && s.element().attr("from") != null
                    && s.element().attr("from").startsWith(from + "@")) {
                return s;
            }
        }
    }

    @Test
    void stanzasWrittenRightAfterTheLoginRequestGoOutInOrderOnceBound() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        Account suzan = loggedIn(suzanApp, "suzan");
        XmlRecorder joeApp = new XmlRecorder();
        Account joe = open(joeApp, prosody.host(), prosody.port());
        // one write: all of it is parsed before the login can complete
        joe.write(login("l1", "joe", "joe-pw") + "<presence to='" + suzan() + "' id='p1'/>"
                + "<message to='" + suzan() + "' type='chat' id='m1'><body>right after login</body></message>");
        XmlElement answer = joeApp.nextElement();
        assertThat(answer.attr("id")).as("first answer %s", answer).isEqualTo("l1");
        assertThat(answer.attr("type")).isEqualTo("result");

        Stanza first = nextFrom(suzanApp, "joe");
        assertThat(first.kind()).as("first from joe: %s", first).isEqualTo(Stanza.Kind.PRESENCE);
        assertThat(first.id()).isEqualTo("p1");
        Stanza second = nextFrom(suzanApp, "joe");
        assertThat(second.kind()).isEqualTo(Stanza.Kind.MESSAGE);
        assertThat(second.body()).isEqualTo("right after login");
        // nothing came back to joe for them: a marker iq is the next thing joe's stream says
        joe.write("<iq type='get' id='mark'><configuration xmlns='http://openzoep.org/protocol/configuration'/></iq>");
        assertThat(joeApp.nextElement(e -> !e.name().equals("presence")).attr("id")).isEqualTo("mark");
        engine.unregisterAccount(joe);
        engine.unregisterAccount(suzan);
    }

    @Test
    void aFailedLoginAnswersEveryStanzaWrittenDuringItWithTheLoginsError() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        Account suzan = loggedIn(suzanApp, "suzan");
        XmlRecorder joeApp = new XmlRecorder();
        Account joe = open(joeApp, prosody.host(), prosody.port());
        joe.write(login("l1", "joe", "not-joes") + "<presence to='" + suzan() + "' id='p1'/>"
                + "<message to='" + suzan() + "' type='chat' id='m1'><body>lost?</body></message>");
        XmlElement answer = joeApp.nextElement();
        assertThat(answer.attr("id")).isEqualTo("l1");
        assertThat(answer.attr("type")).isEqualTo("error");
        for (String id : List.of("p1", "m1")) {
            XmlElement e = joeApp.nextElement();
            assertThat(e.attr("id")).as("error for %s: %s", id, e).isEqualTo(id);
            assertThat(e.attr("type")).isEqualTo("error");
            StanzaError err = StanzaError.from(e.child("error", "jabber:client"));
            assertThat(err.condition()).isEqualTo("not-authorized");
            assertThat(err.appCondition()).as("app condition of %s", e).isNotNull();
            assertThat(err.appCondition().name()).isEqualTo("auth-failed");
            assertThat(err.text()).contains("not sent");
        }
        // the refused ones were not sent: the first thing suzan gets from joe is what follows a good login
        joe.write(login("l2", "joe", "joe-pw") + "<message to='" + suzan() + "' type='chat' id='m2'><body>after</body></message>");
        assertThat(joeApp.nextElement(e -> "l2".equals(e.attr("id"))).attr("type")).isEqualTo("result");
        assertThat(nextFrom(suzanApp, "joe").body()).isEqualTo("after");
        engine.unregisterAccount(joe);
        engine.unregisterAccount(suzan);
    }

    @Test
    void theLoginQueueIsBoundedAndWhatDoesNotFitIsRefused() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        Account suzan = loggedIn(suzanApp, "suzan");
        XmlRecorder joeApp = new XmlRecorder();
        Account joe = open(joeApp, prosody.host(), prosody.port());
        int n = 300;
        StringBuilder w = new StringBuilder(login("l1", "joe", "joe-pw"));
        for (int i = 0; i < n; i++) {
            w.append("<message to='").append(suzan()).append("' type='chat' id='q").append(i).append("'><body>")
                    .append(i).append("</body></message>");
        }
        joe.write(w);
        List<Integer> refused = new ArrayList<>();
        boolean loggedIn = false;
        while (!loggedIn) {
            XmlElement e = joeApp.nextElement();
            if ("l1".equals(e.attr("id"))) {
                assertThat(e.attr("type")).isEqualTo("result");
                loggedIn = true;
                continue;
            }
            assertThat(e.attr("type")).as("%s", e).isEqualTo("error");
            StanzaError err = StanzaError.from(e.child("error", "jabber:client"));
            assertThat(err.type()).isEqualTo("wait");
            assertThat(err.condition()).isEqualTo("resource-constraint");
            assertThat(err.appCondition().name()).isEqualTo("queue-full");
            refused.add(Integer.parseInt(e.attr("id").substring(1)));
        }
        assertThat(refused).as("refused while the login was under way").isNotEmpty();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!refused.contains(i)) {
                expected.add(i);
            }
        }
        assertThat(expected.get(expected.size() - 1)).as("the queue keeps the first ones")
                .isLessThan(refused.get(0));
        List<Integer> arrived = new ArrayList<>();
        while (arrived.size() < expected.size()) {
            arrived.add(Integer.parseInt(nextFrom(suzanApp, "joe").body()));
        }
        assertThat(arrived).isEqualTo(expected);
        engine.unregisterAccount(joe);
        engine.unregisterAccount(suzan);
    }

    @Test
    void theTypedApiSendsWhatWasSentDuringTheLoginAfterIt() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        Account suzan = loggedIn(suzanApp, "suzan");
        Account ann = engine.registerAccount(new AccountListener() { });
        ann.configure(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                .withTls(org.openzoep.xmpp.tls.TlsMode.STARTTLS, prosody.caCertificate()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Jid> login = ann.login(Jid.parse("ann@" + prosody.domain() + "/Zoep"), "ann-pw")
                .toCompletableFuture();
        CompletableFuture<Void> sent = ann.sendMessage(Jid.parse(suzan()), "typed, during login").toCompletableFuture();
        login.get(20, TimeUnit.SECONDS);
        sent.get(20, TimeUnit.SECONDS);
        assertThat(nextFrom(suzanApp, "ann").body()).isEqualTo("typed, during login");
        engine.unregisterAccount(ann);
        engine.unregisterAccount(suzan);
    }

    @Test
    void theTypedApiFailsWhatWasSentDuringAFailedLoginWithTheLoginsFailure() throws Exception {
        Account ann = engine.registerAccount(new AccountListener() { });
        ann.configure(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                .withTls(org.openzoep.xmpp.tls.TlsMode.STARTTLS, prosody.caCertificate()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Jid> login = ann.login(Jid.parse("ann@" + prosody.domain() + "/Zoep"), "not-anns")
                .toCompletableFuture();
        CompletableFuture<Void> sent = ann.sendMessage(Jid.parse(suzan()), "never").toCompletableFuture();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sent.get(20, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(AccountFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(AccountFailure.Reason.AUTH_FAILED);
                    assertThat(f.condition()).isEqualTo("not-authorized");
                    assertThat(f.text()).startsWith("not sent: the login failed");
                });
        assertThat(login).isCompletedExceptionally();
        engine.unregisterAccount(ann);
    }

    @Test
    void aServerThatStopsReadingGetsEveryRefusedStanzaAnsweredAndTheRestInOrder() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        Account suzan = loggedIn(suzanApp, "suzan");
        XmlRecorder erikApp = new XmlRecorder();
        Account erik = open(erikApp, proxy.host(), proxy.port());
        erik.write(login("in", "erik", "erik-pw"));
        assertThat(erikApp.nextElement(e -> "in".equals(e.attr("id"))).attr("type")).isEqualTo("result");

        int n = 100_000;
        proxy.pause();
        for (int i = 0; i < n; i++) {
            erik.write("<message to='" + suzan() + "' type='chat' id='s" + i + "'><body>" + i + "</body></message>");
        }
        // an engine-local iq, answered once every message before it has been handed on
        erik.write("<iq type='get' id='mark'><configuration xmlns='http://openzoep.org/protocol/configuration'/></iq>");
        List<Integer> refused = new ArrayList<>();
        while (true) {
            XmlElement e = erikApp.nextElement();
            if ("mark".equals(e.attr("id"))) {
                break;
            }
            refused.add(refusal(e));
        }
        proxy.resume();
        List<Integer> arrived = new ArrayList<>();
        long idleSince = System.nanoTime();
        while (arrived.size() + refused.size() < n) {
            String xml = erikApp.xml.poll();
            Stanza s = xml != null ? null : suzanApp.stanzas.poll(100, TimeUnit.MILLISECONDS);
            if (xml != null) {
                refused.add(refusal(org.openzoep.xmpp.xml.XmlStreamParser.parseElement(xml, Stanza.CLIENT_NS)));
            } else if (s != null && s.kind() == Stanza.Kind.MESSAGE && s.element().attr("from").startsWith("erik@")) {
                arrived.add(Integer.parseInt(s.body()));
            }
            if (xml != null || s != null) {
                idleSince = System.nanoTime();
            }
            assertThat(System.nanoTime() - idleSince).as("nothing more after %d delivered and %d refused of %d",
                    arrived.size(), refused.size(), n).isLessThan(TimeUnit.SECONDS.toNanos(30));
        }
        assertThat(refused).as("refused while the server did not read").isNotEmpty();
        assertThat(arrived.size() + refused.size()).isEqualTo(n);
        List<Integer> expected = new ArrayList<>(arrived.size());
        java.util.BitSet no = new java.util.BitSet(n);
        refused.forEach(no::set);
        for (int i = 0; i < n; i++) {
            if (!no.get(i)) {
                expected.add(i);
            }
        }
        assertThat(arrived).as("the accepted messages, in order").isEqualTo(expected);
        System.out.printf("OutgoingQueueTest: %d of %d messages delivered in order, %d answered with queue-full%n",
                arrived.size(), n, refused.size());
        engine.unregisterAccount(erik);
        engine.unregisterAccount(suzan);
    }

    /** The message number of an error reply that says the message was refused for lack of room. */
    private static int refusal(XmlElement e) {
        assertThat(e.name()).as("%s", e).isEqualTo("message");
        assertThat(e.attr("type")).isEqualTo("error");
        StanzaError err = StanzaError.from(e.child("error", "jabber:client"));
        assertThat(err.type()).isEqualTo("wait");
        assertThat(err.condition()).isEqualTo("resource-constraint");
        assertThat(err.appCondition().name()).isEqualTo("queue-full");
        return Integer.parseInt(e.attr("id").substring(1));
    }
}
