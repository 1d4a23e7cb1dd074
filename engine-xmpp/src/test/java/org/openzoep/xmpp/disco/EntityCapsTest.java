package org.openzoep.xmpp.disco;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openzoep.xmpp.jingle.XepFixtures;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/** XEP-0115 §5 verification strings, against the XEP's own examples. */
class EntityCapsTest {
    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";

    @Test
    void simpleGenerationExampleOfSection52() {
        String ver = EntityCaps.verification(List.of(new EntityCaps.Identity("client", "pc", null, "Exodus 0.9.1")),
                List.of("http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                        "http://jabber.org/protocol/muc", "http://jabber.org/protocol/caps"),
                List.of());
        assertThat(ver).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    @Test
    void orderAndDuplicatesOfFeaturesDoNotMatter() {
        EntityCaps.Identity id = new EntityCaps.Identity("client", "pc", null, "Exodus 0.9.1");
        String ver = EntityCaps.verification(List.of(id), List.of("http://jabber.org/protocol/muc",
                "http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#items",
                "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/muc"), List.of());
        assertThat(ver).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
        assertThat(EntityCaps.verification(List.of(id), List.of("http://jabber.org/protocol/muc"), List.of()))
                .isNotEqualTo(ver);
    }

    @Test
    void complexGenerationExampleOfSection53() throws Exception {
        XmlElement iq = XepFixtures.parseOne(XepFixtures.example("xep-0115.txt", "Complex Generation Example").xml());
        XmlElement query = Stanza.of(iq).extension("query", DISCO_INFO);
        assertThat(EntityCaps.verification(query)).isEqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w=");
        // the same from parts, identities and fields in another order
        XmlElement form = query.child("x", "jabber:x:data");
        String ver = EntityCaps.verification(List.of(
                new EntityCaps.Identity("client", "pc", "el", "\u03a8 0.11"),
                new EntityCaps.Identity("client", "pc", "en", "Psi 0.11")),
                List.of("http://jabber.org/protocol/muc", "http://jabber.org/protocol/disco#info",
                        "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/caps"),
                List.of(form));
        assertThat(ver).isEqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w=");
        // a form without FORM_TYPE is not part of the string (§5.4 step 3.6)
        XmlElement noType = XmlElement.builder("x", "jabber:x:data").attr("type", "result")
                .child(XmlElement.builder("field", "jabber:x:data").attr("var", "os")
                        .child(XmlElement.builder("value", "jabber:x:data").text("Mac").build()).build()).build();
        assertThat(EntityCaps.verification(List.of(
                new EntityCaps.Identity("client", "pc", "el", "\u03a8 0.11"),
                new EntityCaps.Identity("client", "pc", "en", "Psi 0.11")),
                List.of("http://jabber.org/protocol/muc", "http://jabber.org/protocol/disco#info",
                        "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/caps"),
                List.of(form, noType))).isEqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w=");
    }

    @Test
    void theCapsElementIsTheXepsPresenceChild() throws Exception {
        XmlElement presence = XepFixtures.parseOne(XepFixtures.example("xep-0115.txt", "Presence with caps").xml());
        XmlElement c = EntityCaps.element("http://code.google.com/p/exodus", "QgayPKawpkPSDYmwT/WM94uAlu0=");
        assertThat(XepFixtures.canonical(c)).isEqualTo(XepFixtures.canonical(presence.child("c", EntityCaps.NS)));
    }

    @Test
    void anIdentityIsWrittenAsDiscoInfoWritesIt() {
        XmlElement e = new EntityCaps.Identity("client", "pc", "en", "OpenZoep").toXml();
        assertThat(e.is("identity", DISCO_INFO)).isTrue();
        assertThat(e.attr(XmlElement.XML_NS, "lang")).isEqualTo("en");
        assertThat(e.attr("name")).isEqualTo("OpenZoep");
        assertThat(new EntityCaps.Identity("client", "pc", null, null).toXml().attrCount()).isEqualTo(2);
    }
}
