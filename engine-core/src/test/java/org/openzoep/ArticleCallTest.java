package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.disco.EntityCaps;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;

/**
 * The article's call, verbatim on the XML API: Suzan's application writes {@code join} to Erik,
 * Erik's application receives {@code join} from Suzan and answers {@code joined}, and each side
 * then receives {@code joined} from the other; then a hang-up reaches the other side as
 * {@code left}, and the vocabulary's errors come back as {@code <voice type='error'>}.
 */
class ArticleCallTest {
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.builder().account("erik", "erik-pw").account("suzan", "suzan-pw").start();
        engine = ZoepEngine.builder().mediaAddresses(List.of(InetAddress.getByName("127.0.0.1")))
                .ringTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    static String header() {
        return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<stream:stream to='" + prosody.domain()
                + "' xmlns='jabber:client'\nxmlns:stream='http://etherx.jabber.org/streams'>";
    }

    static void logIn(Account account, XmlRecorder r, String user) throws Exception {
        account.write(header());
        assertThat(r.next()).contains("<stream:stream");
        account.write("<iq type='set' id='cfg'><configuration xmlns='http://openzoep.org/protocol/configuration'>"
                + "<server host='" + prosody.host() + "' port='" + prosody.port() + "'/>"
                + "<tls mode='starttls' trust-store='" + prosody.caCertificate() + "'/>"
                + "<audio capture='none' playback='none'/>"
                + "<incoming-calls from='everyone'/>" // the two accounts are not each other's contacts
                + "<resource>Zoep</resource></configuration></iq>");
        assertThat(r.nextElement().attr("type")).isEqualTo("result");
        account.write("<iq type='set' id='auth_2'><query xmlns='jabber:iq:auth'><username>" + user
                + "</username><password>" + user + "-pw</password><resource>Zoep</resource></query></iq>");
        XmlElement login = r.nextElement();
        assertThat(login.attr("type")).as("login %s", login).isEqualTo("result");
        account.write("<presence/>");
    }

    /** The element's name and attributes, the way the article writes them. */
    static Map<String, String> shape(XmlElement e) {
        Map<String, String> m = new TreeMap<>();
        m.put("(name)", e.name());
        for (int i = 0; i < e.attrCount(); i++) {
            m.put(e.attrName(i), e.attrValue(i));
        }
        return m;
    }

    static Map<String, String> article(String xml) {
        return shape(XmlStreamParser.parseElement(xml.replace("jabber.voipster.com", prosody.domain()), Stanza.CLIENT_NS));
    }

    static boolean voice(XmlElement e) {
        return e.name().equals("voice");
    }

    @Test
    void theArticlesCallVerbatim() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        XmlRecorder erikApp = new XmlRecorder();
        Account suzan = engine.registerAccount(suzanApp);
        Account erik = engine.registerAccount(erikApp);
        logIn(suzan, suzanApp, "suzan");
        logIn(erik, erikApp, "erik");
        String id = "phonecall_" + UUID.randomUUID();

        suzan.write("<voice id=\"" + id + "\"\nto=\"erik@" + prosody.domain() + "/Zoep\" type=\"join\">\n"
                + "<call_id>show</call_id>\n<private>yes</private>\n</voice>");
        XmlElement join = erikApp.nextElement(ArticleCallTest::voice);
        assertThat(shape(join)).isEqualTo(article("<voice from='suzan@jabber.voipster.com/Zoep'\nid='" + id + "'\n"
                + "to='erik@jabber.voipster.com/Zoep' type='join'>\n</voice>"));

        erik.write("<voice id=\"" + id + "\"\nto=\"suzan@" + prosody.domain() + "/Zoep\" type=\"joined\"/>");
        XmlElement erikHears = erikApp.nextElement(ArticleCallTest::voice);
        assertThat(shape(erikHears)).isEqualTo(article("<voice from='suzan@jabber.voipster.com/Zoep'\nid='" + id
                + "'\nto='erik@jabber.voipster.com/Zoep' type='joined'>\n</voice>"));
        XmlElement suzanHears = suzanApp.nextElement(e -> voice(e) && "joined".equals(e.attr("type")));
        assertThat(shape(suzanHears)).isEqualTo(article("<voice from='erik@jabber.voipster.com/Zoep'\nid='" + id
                + "'\nto='suzan@jabber.voipster.com/Zoep' type='joined'>\n</voice>"));

        // ask until media has arrived (the answer comes at once, with the figures so far)
        XmlElement stats = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (stats == null || Long.parseLong(stats.childText("packets-received")) == 0) {
            assertThat(System.nanoTime()).as("media within 10 s").isLessThan(deadline);
            erik.write("<voice id='" + id + "' type='stats'/>");
            stats = erikApp.nextElement(e -> voice(e) && "stats".equals(e.attr("type")));
        }
        assertThat(stats.childText("state")).isEqualTo("active");
        assertThat(stats.childText("codec")).isEqualTo("opus/48000/2");
        assertThat(Long.parseLong(stats.childText("packets-received"))).isPositive();
        assertThat(Double.parseDouble(stats.childText("mos"))).isGreaterThan(1);

        // mute, hold and DTMF reach the other application in the same vocabulary
        erik.write("<voice id='" + id + "' type='mute'/>");
        XmlElement muted = suzanApp.nextElement(e -> voice(e) && "mute".equals(e.attr("type")));
        assertThat(muted.attr("from")).isEqualTo("erik@" + prosody.domain() + "/Zoep");
        erik.write("<voice id='" + id + "' type='hold'/>");
        suzanApp.nextElement(e -> voice(e) && "hold".equals(e.attr("type")));
        erik.write("<voice id='" + id + "' type='resume'/>");
        suzanApp.nextElement(e -> voice(e) && "resume".equals(e.attr("type")));
        erik.write("<voice id='" + id + "' type='dtmf'><digits>7</digits></voice>");
        XmlElement digit = suzanApp.nextElement(e -> voice(e) && "dtmf".equals(e.attr("type")));
        assertThat(digit.childText("digits")).isEqualTo("7");

        erik.write("<voice id='" + id + "' to='suzan@" + prosody.domain() + "/Zoep' type='leave'/>");
        XmlElement left = suzanApp.nextElement(e -> voice(e) && "left".equals(e.attr("type")));
        assertThat(left.attr("from")).isEqualTo("erik@" + prosody.domain() + "/Zoep");
        assertThat(left.attr("id")).isEqualTo(id);
        assertThat(left.childText("reason")).isEqualTo("remote-hangup");
        XmlElement mine = erikApp.nextElement(e -> voice(e) && "left".equals(e.attr("type")));
        assertThat(mine.childText("reason")).isEqualTo("hangup");

        // errors of the vocabulary: an unknown call, a phone number without a provider, a missing type
        erik.write("<voice id='nope' to='suzan@" + prosody.domain() + "/Zoep' type='leave'/>");
        XmlElement unknown = erikApp.nextElement(ArticleCallTest::voice);
        assertThat(unknown.attr("type")).isEqualTo("error");
        assertThat(unknown.child("error", Stanza.CLIENT_NS).child("bad-request", "urn:ietf:params:xml:ns:xmpp-stanzas"))
                .isNotNull();
        erik.write("<voice id='phonecall_pstn' to='unknown/#003110123456' type='join'/>");
        XmlElement pstn = erikApp.nextElement(ArticleCallTest::voice);
        assertThat(pstn.attr("type")).isEqualTo("error");
        assertThat(pstn.child("error", Stanza.CLIENT_NS).child("text", "urn:ietf:params:xml:ns:xmpp-stanzas").text())
                .contains("PSTN provider");

        engine.unregisterAccount(erik);
        engine.unregisterAccount(suzan);
    }

    @Test
    void callingAnOfflineContactGivesAVoiceError() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        Account suzan = engine.registerAccount(suzanApp);
        logIn(suzan, suzanApp, "suzan");
        suzan.write("<voice id='phonecall_off' to='erik@" + prosody.domain() + "' type='join'/>");
        XmlElement err = suzanApp.nextElement(e -> voice(e) && "error".equals(e.attr("type")));
        assertThat(err.attr("id")).isEqualTo("phonecall_off");
        XmlElement error = err.child("error", Stanza.CLIENT_NS);
        assertThat(error.child("recipient-unavailable", "urn:ietf:params:xml:ns:xmpp-stanzas")).isNotNull();
        assertThat(error.child("offline", "http://openzoep.org/protocol/errors")).isNotNull();
        assertThat(error.child("text", "urn:ietf:params:xml:ns:xmpp-stanzas").text()).isNotBlank();
        engine.unregisterAccount(suzan);
    }

    @Test
    void presenceCarriesCapsAndDiscoAnswersWithTheCallingFeatures() throws Exception {
        XmlRecorder suzanApp = new XmlRecorder();
        XmlRecorder erikApp = new XmlRecorder();
        Account suzan = engine.registerAccount(suzanApp);
        Account erik = engine.registerAccount(erikApp);
        logIn(suzan, suzanApp, "suzan");
        logIn(erik, erikApp, "erik");
        // Prosody reflects our own available presence: it went out with XEP-0115 caps
        XmlElement own = erikApp.nextElement(e -> e.name().equals("presence")
                && ("erik@" + prosody.domain() + "/Zoep").equals(e.attr("from")));
        XmlElement c = own.child("c", EntityCaps.NS);
        assertThat(c).as("caps in %s", own).isNotNull();
        assertThat(c.attr("hash")).isEqualTo("sha-1");
        suzan.write("<iq type='get' id='disco1' to='erik@" + prosody.domain() + "/Zoep'><query "
                + "xmlns='http://jabber.org/protocol/disco#info' node='" + c.attr("node") + "#" + c.attr("ver")
                + "'/></iq>");
        XmlElement info = suzanApp.nextElement(e -> "disco1".equals(e.attr("id")));
        assertThat(info.attr("type")).as("%s", info).isEqualTo("result");
        XmlElement query = info.child("query", "http://jabber.org/protocol/disco#info");
        java.util.List<String> features = new java.util.ArrayList<>();
        for (XmlElement f : query.elements()) {
            if (f.name().equals("feature")) {
                features.add(f.attr("var"));
            }
        }
        assertThat(features).contains("urn:xmpp:jingle:1", "urn:xmpp:jingle:apps:rtp:1",
                "urn:xmpp:jingle:apps:rtp:audio", "urn:xmpp:jingle:transports:ice-udp:1",
                "urn:xmpp:jingle:apps:dtls:0", "urn:xmpp:jingle-message:0");
        assertThat(EntityCaps.verification(query)).isEqualTo(c.attr("ver"));
        engine.unregisterAccount(erik);
        engine.unregisterAccount(suzan);
    }
}
