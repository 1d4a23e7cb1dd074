package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * L4 through the public settings and the XML API: {@code <sasl plain='forbidden'
 * channel-binding='required' max-iterations='N'/>} is stored, read back, refused when malformed,
 * and reaches the login: a Prosody 0.12 on TLS 1.3 offers no {@code -PLUS}, so requiring channel
 * binding refuses it, and the same account logs in once the requirement is lifted.
 */
class SaslSettingsTest {
    static final String CFG = "http://openzoep.org/protocol/configuration";
    static ProsodyServer prosody;
    static ZoepEngine engine;

    @BeforeAll
    static void start() {
        prosody = ProsodyServer.builder().account("erik", "erik-pw").start();
        engine = ZoepEngine.builder().ioThreads(1).apiThreads(2).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        prosody.close();
    }

    static XmlRecorder open(Account[] holder) throws InterruptedException {
        XmlRecorder r = new XmlRecorder();
        holder[0] = engine.registerAccount(r);
        holder[0].write("<?xml version='1.0'?><stream:stream to='" + prosody.domain()
                + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        r.next();
        return r;
    }

    static XmlElement configure(Account a, XmlRecorder r, String settings) throws InterruptedException {
        a.write("<iq type='set' id='cfg'><configuration xmlns='" + CFG + "'>" + settings + "</configuration></iq>");
        return r.nextElement();
    }

    @Test
    void defaultsAllowPlainWhereSafeAndBindWhenPossible() {
        assertThat(AccountSettings.defaults().sasl()).isEqualTo(new AccountSettings.Sasl(true, false, 1_000_000));
    }

    @Test
    void theSaslSettingIsAppliedReadBackAndCheckedStrictly() throws Exception {
        Account[] a = new Account[1];
        XmlRecorder r = open(a);
        assertThat(configure(a[0], r, "<sasl plain='forbidden' channel-binding='required' max-iterations='50000'/>")
                .attr("type")).isEqualTo("result");
        assertThat(a[0].settings().toCompletableFuture().get().sasl())
                .isEqualTo(new AccountSettings.Sasl(false, true, 50_000));
        a[0].write("<iq type='get' id='c2'><configuration xmlns='" + CFG + "'/></iq>");
        XmlElement sasl = r.nextElement().child("configuration", CFG).child("sasl", CFG);
        assertThat(sasl.attr("plain")).isEqualTo("forbidden");
        assertThat(sasl.attr("channel-binding")).isEqualTo("required");
        assertThat(sasl.attr("max-iterations")).isEqualTo("50000");
        for (String[] c : new String[][] {
            {"<sasl plain='no'/>", "sasl plain must be 'allowed' or 'forbidden', not 'no'"},
            {"<sasl channel-binding='always'/>", "sasl channel-binding must be 'optional' or 'required', not 'always'"},
            {"<sasl max-iterations='100'/>", "sasl max-iterations must be a number from 4096"},
            {"<sasl mechanisms='PLAIN'/>", "unknown attribute 'mechanisms' on configuration setting 'sasl'"},
        }) {
            XmlElement res = configure(a[0], r, c[0]);
            assertThat(res.attr("type")).isEqualTo("error");
            assertThat(StanzaError.from(res.child("error", "jabber:client")).text()).contains(c[1]);
        }
        assertThat(a[0].settings().toCompletableFuture().get().sasl().maxScramIterations()).isEqualTo(50_000);
        engine.unregisterAccount(a[0]);
    }

    @Test
    void requiredChannelBindingReachesTheLogin() throws Exception {
        Account[] a = new Account[1];
        XmlRecorder r = open(a);
        String server = "<server host='" + prosody.host() + "' port='" + prosody.port() + "'/>"
                + "<tls mode='starttls' trust-store='" + prosody.caCertificate() + "'/>";
        assertThat(configure(a[0], r, server + "<sasl channel-binding='required'/>").attr("type")).isEqualTo("result");
        a[0].write("<iq type='set' id='login'><query xmlns='jabber:iq:auth'><username>erik</username>"
                + "<password>erik-pw</password><resource>Zoep</resource></query></iq>");
        XmlElement res = r.nextElement();
        assertThat(res.attr("type")).isEqualTo("error");
        StanzaError e = StanzaError.from(res.child("error", "jabber:client"));
        assertThat(e.text()).contains("channel-binding-unavailable");
        assertThat(configure(a[0], r, "<sasl channel-binding='optional'/>").attr("type")).isEqualTo("result");
        a[0].write("<iq type='set' id='login2'><query xmlns='jabber:iq:auth'><username>erik</username>"
                + "<password>erik-pw</password><resource>Zoep</resource></query></iq>");
        assertThat(r.nextElement().attr("type")).isEqualTo("result");
        engine.unregisterAccount(a[0]);
    }
}
