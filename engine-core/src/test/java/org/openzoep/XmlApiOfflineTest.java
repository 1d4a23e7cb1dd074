package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.stanza.StreamError;
import org.openzoep.xmpp.tls.TlsMode;
import org.openzoep.xmpp.xml.XmlElement;

/** The XML API's engine-local parts and its error paths, which need no server. */
class XmlApiOfflineTest {
    static ZoepEngine engine;
    static final String HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><stream:stream "
            + "to='example.org' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    static final String CFG = "http://openzoep.org/protocol/configuration";

    @BeforeAll
    static void start() {
        engine = ZoepEngine.builder().ioThreads(1).apiThreads(2).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static XmlRecorder open(Account[] holder) throws InterruptedException {
        XmlRecorder r = new XmlRecorder();
        holder[0] = engine.registerAccount(r);
        holder[0].write(HEADER);
        String head = r.next();
        assertThat(head).startsWith("<?xml version='1.0' encoding='UTF-8'?><stream:stream ").contains("from='example.org'")
                .contains("xmlns='jabber:client'");
        return r;
    }

    static StanzaError error(XmlElement iq) {
        assertThat(iq.attr("type")).isEqualTo("error");
        return StanzaError.from(iq.child("error", "jabber:client"));
    }

    @Test
    void configurationIsAppliedAndReadBack() throws Exception {
        Account[] a = new Account[1];
        XmlRecorder r = open(a);
        a[0].write("<iq type='set' id='c1'><configuration xmlns='" + CFG + "'>"
                + "<server host='127.0.0.1' port='5299'/><tls mode='direct'/><resource>Zoep</resource>"
                + "<codec name='opus' complexity='5' fec='true'/><stun host='stun.example.org'/>"
                + "<pstn provider='zoep.com' username='u' password='p'/><incoming-calls from='nobody'/>"
                + "</configuration></iq>");
        XmlElement ok = r.nextElement();
        assertThat(ok.attr("type")).isEqualTo("result");
        assertThat(ok.attr("id")).isEqualTo("c1");
        AccountSettings s = a[0].settings().toCompletableFuture().get();
        assertThat(s.serverHost()).isEqualTo("127.0.0.1");
        assertThat(s.serverPort()).isEqualTo(5299);
        assertThat(s.tlsMode()).isEqualTo(TlsMode.DIRECT_TLS);
        assertThat(s.resource()).isEqualTo("Zoep");
        assertThat(s.codecs()).singleElement().satisfies(c -> {
            assertThat(c.complexity()).isEqualTo(5);
            assertThat(c.fec()).isTrue();
        });
        assertThat(s.stunServers()).singleElement().satisfies(st -> assertThat(st.port()).isEqualTo(3478));
        assertThat(s.incomingCalls()).isEqualTo(AccountSettings.IncomingCalls.NOBODY);
        a[0].write("<iq type='get' id='c2'><configuration xmlns='" + CFG + "'/></iq>");
        XmlElement got = r.nextElement().child("configuration", CFG);
        assertThat(got.child("server", CFG).attr("port")).isEqualTo("5299");
        assertThat(got.toXml()).doesNotContain("password");
        assertThat(got.child("incoming-calls", CFG).attr("from")).isEqualTo("nobody");
        engine.unregisterAccount(a[0]);
    }

    @Test
    void unknownOrMalformedSettingsAreRefusedWithAClearErrorAndNothingApplied() throws Exception {
        Account[] a = new Account[1];
        XmlRecorder r = open(a);
        String[][] cases = {
            {"<sever host='x'/>", "unknown configuration setting 'sever'"},
            {"<server hots='x'/>", "unknown attribute 'hots' on configuration setting 'server'"},
            {"<server port='abc'/>", "server port must be a number from 1 to 65535, not 'abc'"},
            {"<tls mode='none'/>", "tls mode must be 'starttls' or 'direct', not 'none'"},
            {"<tls trust-store='/no/such.pem'/>", "trust store '/no/such.pem' is not a readable file"},
            {"<codec name='g729'/>", "codec name must be one of"},
            {"<server host='ok'/><x xmlns='urn:other'/>", "unknown configuration setting {urn:other}x"},
            {"<audio capture='file:/tmp/in.wav' playback='default'/>", "both be devices, or both files/none"},
            {"<incoming-calls from='friends'/>", "incoming-calls from must be 'everyone', 'roster' or 'nobody'"},
        };
        for (String[] c : cases) {
            a[0].write("<iq type='set' id='bad'><configuration xmlns='" + CFG + "'>" + c[0] + "</configuration></iq>");
            StanzaError e = error(r.nextElement());
            assertThat(e.condition()).isEqualTo("bad-request");
            assertThat(e.type()).isEqualTo("modify");
            assertThat(e.text()).contains(c[1]);
        }
        assertThat(a[0].settings().toCompletableFuture().get().serverHost()).isNull();
        engine.unregisterAccount(a[0]);
    }

    @Test
    void authMethodRequestIsAnsweredByTheEngine() throws Exception {
        Account[] a = new Account[1];
        XmlRecorder r = open(a);
        a[0].write("<iq type='get' id='auth1'><query xmlns='jabber:iq:auth'><username>erik</username></query></iq>");
        XmlElement res = r.nextElement();
        assertThat(res.attr("type")).isEqualTo("result");
        XmlElement q = res.child("query", "jabber:iq:auth");
        assertThat(q.childText("username")).isEqualTo("erik");
        assertThat(q.child("password", "jabber:iq:auth")).isNotNull();
        assertThat(q.child("resource", "jabber:iq:auth")).isNotNull();
        assertThat(q.child("digest", "jabber:iq:auth")).isNull();
        engine.unregisterAccount(a[0]);
    }

    @Test
    void stanzasBeforeLoginAreRefusedAndLoginNeedsCredentials() throws Exception {
        Account[] a = new Account[1];
        XmlRecorder r = open(a);
        a[0].write("<message to='suzan@example.org' id='m1'><body>hi</body></message>");
        XmlElement m = r.nextElement();
        assertThat(m.name()).isEqualTo("message");
        assertThat(error(m).condition()).isEqualTo("not-authorized");
        a[0].write("<iq type='set' id='a2'><query xmlns='jabber:iq:auth'><username>erik</username></query></iq>");
        assertThat(error(r.nextElement()).condition()).isEqualTo("not-acceptable");
        a[0].write("<iq type='set' id='a3'><query xmlns='jabber:iq:auth'><username>er@ik</username>"
                + "<password>x</password></query></iq>");
        assertThat(error(r.nextElement()).condition()).isEqualTo("jid-malformed");
        a[0].write("<iq type='set' id='bye'><logout xmlns='http://openzoep.org/protocol/session'/></iq>");
        assertThat(r.nextElement().attr("type")).isEqualTo("result");
        a[0].write("</stream:stream>");
        assertThat(r.next()).isEqualTo("</stream:stream>");
        engine.unregisterAccount(a[0]);
    }

    @Test
    void unreachableServerIsAClearLoginError() throws Exception {
        Account[] a = new Account[1];
        XmlRecorder r = open(a);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        a[0].write("<iq type='set' id='c'><configuration xmlns='" + CFG + "'><server host='127.0.0.1' port='"
                + closedPort + "'/></configuration></iq>");
        assertThat(r.nextElement().attr("type")).isEqualTo("result");
        a[0].write("<iq type='set' id='login'><query xmlns='jabber:iq:auth'><username>erik</username>"
                + "<password>secret</password><resource>Zoep</resource></query></iq>");
        XmlElement res = r.nextElement();
        StanzaError e = error(res);
        assertThat(e.condition()).isEqualTo("remote-server-not-found");
        assertThat(e.text()).contains("cannot connect");
        assertThat(e.appCondition().name()).isEqualTo("connect-failed");
        engine.unregisterAccount(a[0]);
    }

    @Test
    void badXmlFromTheApplicationEndsItsStreamWithTheRightError() throws Exception {
        String[][] cases = {
            {"<!-- note --><presence/>", "restricted-xml"},
            {"<presence><a>" + "<b>".repeat(100), "policy-violation"},
            {"<presence></message>", "not-well-formed"},
            {"<foo xmlns='urn:x'/>", "unsupported-stanza-type"},
            {"hello", "bad-format"},
        };
        for (String[] c : cases) {
            Account[] a = new Account[1];
            XmlRecorder r = open(a);
            // byte by byte, as a slow application might
            for (char ch : (c[0] + " <presence/>").toCharArray()) {
                a[0].write(String.valueOf(ch));
            }
            XmlElement err = r.nextElement();
            assertThat(err.is("error", "http://etherx.jabber.org/streams")).as(c[0]).isTrue();
            assertThat(StreamError.from(err).condition()).as(c[0]).isEqualTo(c[1]);
            assertThat(r.next()).isEqualTo("</stream:stream>");
            engine.unregisterAccount(a[0]);
        }
        Account[] a = new Account[1];
        XmlRecorder r = new XmlRecorder();
        a[0] = engine.registerAccount(r);
        a[0].write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>");
        r.next();
        assertThat(StreamError.from(r.nextElement()).condition()).isEqualTo("improper-addressing");
        engine.unregisterAccount(a[0]);
    }
}
