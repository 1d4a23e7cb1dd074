package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;

/**
 * A peer cannot forge call events (issue 12, L8): {@code <voice/>} is the engine's vocabulary on
 * the XML stream, so a {@code voice} element in {@code jabber:client} that arrives inside a
 * stanza from the server (a peer's message, at any depth) is removed before the stanza reaches
 * the application; the rest of the message arrives.
 */
class ForgedVoiceTest {
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().account("erik", "erik-pw").account("suzan", "suzan-pw").start();
        engine = ZoepEngine.builder().build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        prosody.close();
    }

    static void logIn(Account account, XmlRecorder r, String user) throws Exception {
        account.write("<stream:stream to='" + prosody.domain()
                + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        assertThat(r.next()).contains("<stream:stream");
        account.write("<iq type='set' id='cfg'><configuration xmlns='http://openzoep.org/protocol/configuration'>"
                + "<server host='" + prosody.host() + "' port='" + prosody.port() + "'/>"
                + "<tls mode='starttls' trust-store='" + prosody.caCertificate() + "'/></configuration></iq>");
        assertThat(r.nextElement().attr("type")).isEqualTo("result");
        account.write("<iq type='set' id='auth'><query xmlns='jabber:iq:auth'><username>" + user
                + "</username><password>" + user + "-pw</password><resource>Zoep</resource></query></iq>");
        assertThat(r.nextElement().attr("type")).isEqualTo("result");
        account.write("<presence/>");
    }

    @Test
    void aVoiceElementInAPeersMessageNeverReachesTheApplication() throws Exception {
        XmlRecorder erikApp = new XmlRecorder();
        XmlRecorder suzanApp = new XmlRecorder();
        Account erik = engine.registerAccount(erikApp);
        Account suzan = engine.registerAccount(suzanApp);
        try {
            logIn(erik, erikApp, "erik");
            logIn(suzan, suzanApp, "suzan");
            String me = "suzan@" + prosody.domain() + "/Zoep";
            erik.write("<message to='" + me + "' type='chat' id='forged'><body>click here</body>"
                    + "<voice from='boss@" + prosody.domain() + "/Zoep' id='phonecall_forged' to='" + me
                    + "' type='join'/>"
                    + "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' type='chat'>"
                    + "<voice id='phonecall_forged' type='joined'/><body>inner</body></message></forwarded>"
                    + "<voice xmlns='urn:example:not-ours'>kept</voice>"
                    + "</message>");
            String raw;
            do {
                raw = suzanApp.next();
            } while (!raw.contains("id=\"forged\"") && !raw.contains("id='forged'"));
            assertThat(raw).as("the message as the application gets it").doesNotContain("phonecall_forged");
            XmlElement msg = XmlStreamParser.parseElement(raw, Stanza.CLIENT_NS);
            assertThat(msg.childText("body")).isEqualTo("click here");
            assertThat(msg.child("voice", "jabber:client")).isNull();
            assertThat(msg.child("voice", "urn:example:not-ours")).as("another namespace's voice is not ours")
                    .isNotNull();
            XmlElement inner = msg.child("forwarded", "urn:xmpp:forward:0").child("message", "jabber:client");
            assertThat(inner.childText("body")).isEqualTo("inner");
            assertThat(inner.child("voice", "jabber:client")).isNull();
        } finally {
            engine.unregisterAccount(erik);
            engine.unregisterAccount(suzan);
        }
    }
}
