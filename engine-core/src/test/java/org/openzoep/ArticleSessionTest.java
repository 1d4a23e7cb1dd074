package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * The article's session lifecycle, verbatim, through the XML API against a real Prosody:
 * register, stream header, configuration, auth method, login, presence, a message to a second
 * account, logout, stream close, unregister.
 */
class ArticleSessionTest {
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().account("erik", "erik-pw").account("suzan", "suzan-pw")
                .account("joe", "joe-pw").start();
        engine = ZoepEngine.builder().build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        prosody.close();
    }

    static String header() {
        return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<stream:stream to='" + prosody.domain()
                + "' xmlns='jabber:client'\nxmlns:stream='http://etherx.jabber.org/streams'>";
    }

    static String configuration() {
        return "<iq type='set' id='cfg'><configuration xmlns='http://openzoep.org/protocol/configuration'>"
                + "<server host='" + prosody.host() + "' port='" + prosody.port() + "'/>"
                + "<tls mode='starttls' trust-store='" + prosody.caCertificate() + "'/>"
                + "<resource>Zoep</resource></configuration></iq>";
    }

    /** Steps 1–4 of the lifecycle for one user; returns the application's recorder. */
    static XmlRecorder openAndLogIn(Account account, XmlRecorder r, String user, String password) throws Exception {
        account.write(header());
        assertThat(r.next()).startsWith("<?xml").contains("<stream:stream");
        account.write(configuration());
        XmlElement cfg = r.nextElement();
        assertThat(cfg.attr("type")).isEqualTo("result");
        assertThat(cfg.attr("id")).isEqualTo("cfg");
        account.write("<iq type='get' id='auth_1'><query xmlns='jabber:iq:auth'><username>" + user
                + "</username></query></iq>");
        XmlElement method = r.nextElement();
        assertThat(method.attr("id")).isEqualTo("auth_1");
        assertThat(method.child("query", "jabber:iq:auth").child("password", "jabber:iq:auth")).isNotNull();
        account.write("<iq type='set' id='auth_2'><query xmlns='jabber:iq:auth'><username>" + user
                + "</username><password>" + password + "</password><resource>Zoep</resource></query></iq>");
        XmlElement login = r.nextElement();
        assertThat(login.attr("id")).isEqualTo("auth_2");
        assertThat(login.attr("type")).as("login answer %s", login).isEqualTo("result");
        return r;
    }

    @Test
    void theArticlesLifecycleVerbatim() throws Exception {
        XmlRecorder erikApp = new XmlRecorder();
        XmlRecorder suzanApp = new XmlRecorder();
        Account erik = engine.registerAccount(erikApp);
        Account suzan = engine.registerAccount(suzanApp);
        openAndLogIn(erik, erikApp, "erik", "erik-pw");
        openAndLogIn(suzan, suzanApp, "suzan", "suzan-pw");

        erik.write("<presence/>");
        suzan.write("<presence/>");
        erik.write("<message to='suzan@" + prosody.domain() + "/Zoep' type='chat' id='m1'>"
                + "<body>Hello Suzan &amp; welcome</body></message>");
        XmlElement msg = suzanApp.nextElement(e -> e.name().equals("message"));
        assertThat(msg.attr("from")).isEqualTo("erik@" + prosody.domain() + "/Zoep");
        assertThat(msg.childText("body")).isEqualTo("Hello Suzan & welcome");

        erik.write("<iq type='set' id='logout_1'><logout xmlns='http://openzoep.org/protocol/session'/></iq>");
        XmlElement bye = erikApp.nextElement(e -> "logout_1".equals(e.attr("id")));
        assertThat(bye.attr("type")).isEqualTo("result");
        erik.write("</stream:stream>");
        String last;
        do {
            last = erikApp.next();
        } while (!last.equals("</stream:stream>"));
        engine.unregisterAccount(erik);
        assertThat(engine.accountCount()).isEqualTo(1);

        // suzan closes without logging out first: the stream close logs her out
        suzan.write("</stream:stream>");
        do {
            last = suzanApp.next();
        } while (!last.equals("</stream:stream>"));
        engine.unregisterAccount(suzan);
        assertThat(engine.accountCount()).isZero();
    }

    @Test
    void afterLogoutTheSameStreamLogsInAgain() throws Exception {
        XmlRecorder app = new XmlRecorder();
        Account joe = engine.registerAccount(app);
        openAndLogIn(joe, app, "joe", "joe-pw");
        joe.write("<iq type='set' id='out1'><logout xmlns='http://openzoep.org/protocol/session'/></iq>");
        assertThat(app.nextElement(e -> "out1".equals(e.attr("id"))).attr("type")).isEqualTo("result");
        joe.write("<message to='erik@" + prosody.domain() + "' id='m2'><body>offline</body></message>");
        XmlElement refused = app.nextElement(e -> "m2".equals(e.attr("id")));
        assertThat(refused.attr("type")).isEqualTo("error");
        joe.write("<iq type='set' id='auth_9'><query xmlns='jabber:iq:auth'><username>joe</username>"
                + "<password>joe-pw</password><resource>Again</resource></query></iq>");
        assertThat(app.nextElement(e -> "auth_9".equals(e.attr("id"))).attr("type")).isEqualTo("result");
        assertThat(joe.jid()).isEqualTo(org.openzoep.xmpp.stanza.Jid.parse("joe@" + prosody.domain() + "/Again"));
        engine.unregisterAccount(joe);
    }

    @Test
    void theSameStreamSplitAtEveryByteWorks() throws Exception {
        XmlRecorder app = new XmlRecorder();
        Account joe = engine.registerAccount(app);
        for (char c : header().toCharArray()) {
            joe.write(String.valueOf(c));
        }
        assertThat(app.next()).contains("<stream:stream");
        String cfg = configuration();
        for (int i = 0; i < cfg.length(); i += 3) {
            joe.write(cfg.substring(i, Math.min(cfg.length(), i + 3)));
        }
        assertThat(app.nextElement().attr("type")).isEqualTo("result");
        engine.unregisterAccount(joe);
    }

    @Test
    void wrongPasswordIsAnIqErrorWithNotAuthorized() throws Exception {
        XmlRecorder app = new XmlRecorder();
        Account joe = engine.registerAccount(app);
        joe.write(header());
        app.next();
        joe.write(configuration());
        app.nextElement();
        joe.write("<iq type='set' id='auth_2'><query xmlns='jabber:iq:auth'><username>joe</username>"
                + "<password>not-joes</password><resource>Zoep</resource></query></iq>");
        XmlElement res = app.nextElement();
        assertThat(res.attr("type")).isEqualTo("error");
        StanzaError e = StanzaError.from(res.child("error", "jabber:client"));
        assertThat(e.condition()).isEqualTo("not-authorized");
        assertThat(e.type()).isEqualTo("auth");
        assertThat(e.appCondition().name()).isEqualTo("auth-failed");
        // the right password afterwards works on the same stream
        joe.write("<iq type='set' id='auth_3'><query xmlns='jabber:iq:auth'><username>joe</username>"
                + "<password>joe-pw</password><resource>Zoep</resource></query></iq>");
        assertThat(app.nextElement().attr("type")).isEqualTo("result");
        engine.unregisterAccount(joe);
    }

    @Test
    void untrustedCertificateIsAClearIqError() throws Exception {
        XmlRecorder app = new XmlRecorder();
        Account joe = engine.registerAccount(app);
        joe.write(header());
        app.next();
        joe.write("<iq type='set' id='cfg'><configuration xmlns='http://openzoep.org/protocol/configuration'>"
                + "<server host='" + prosody.host() + "' port='" + prosody.port() + "'/></configuration></iq>");
        app.nextElement();
        joe.write("<iq type='set' id='auth_2'><query xmlns='jabber:iq:auth'><username>joe</username>"
                + "<password>joe-pw</password></query></iq>");
        XmlElement res = app.nextElement();
        StanzaError e = StanzaError.from(res.child("error", "jabber:client"));
        assertThat(e.condition()).isEqualTo("not-acceptable");
        assertThat(e.appCondition().name()).isEqualTo("certificate-rejected");
        assertThat(e.text()).contains("certificate");
        engine.unregisterAccount(joe);
        assertThat(app.xml.poll(200, TimeUnit.MILLISECONDS)).isIn(null, "</stream:stream>");
    }
}
