package org.openzoep.xmpp.jingle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openzoep.xmpp.jingle.XepFixtures.canonical;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.stanza.StanzaError;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Every example of XEP-0166, 0167, 0176, 0320, 0353 and the XEP-0293 descriptions: parsed (at
 * every split point), read into records, written back, and compared under
 * {@link XepFixtures#canonical}. Examples we refuse are listed with the error we answer them with;
 * Jingle error replies in the examples must be exactly what {@link JingleException} builds.
 */
class JingleXepExamplesTest {

    static final List<String> FILES = List.of("xep-0166.txt", "xep-0167.txt", "xep-0176.txt", "xep-0320.txt",
            "xep-0353.txt", "xep-0293.txt");

    /**
     * Examples we refuse, by file and caption, with the stanza error condition and Jingle
     * condition (or "-") of the refusal.
     */
    static final Map<String, String> REFUSED = Map.of(
            // XEP-0166 §6.9 writes the XEP-0167 info namespace as 'urn:xmpp:jingle:apps:rtp:1:info': a payload we do not know
            "xep-0166.txt/Responder sends ringing message", "feature-not-implemented unsupported-info");

    static Stream<Arguments> examples() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String f : FILES) {
            for (XepFixtures.Example e : XepFixtures.load(f)) {
                out.add(Arguments.of(f, e));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void roundTrips(String file, XepFixtures.Example example) throws Exception {
        String refusal = REFUSED.get(file + "/" + example.caption());
        for (XmlElement e : XepFixtures.parse(example.xml())) {
            if (refusal != null) {
                XmlElement jingle = e.child("jingle", JingleNamespaces.JINGLE);
                assertThat(jingle).isNotNull();
                assertThatThrownBy(() -> Jingle.parse(jingle)).isInstanceOfSatisfying(JingleException.class, x ->
                        assertThat(x.error().condition() + " " + (x.condition() == null ? "-" : x.condition().wireName()))
                                .isEqualTo(refusal));
                continue;
            }
            check(e);
        }
    }

    /** Round-trips whatever Jingle content {@code e} holds. */
    static void check(XmlElement e) throws JingleException {
        if (e.is("description", JingleNamespaces.RTP)) {
            assertThat(canonical(RtpDescription.parse(e).toXml())).isEqualTo(canonical(e));
            return;
        }
        Stanza s = Stanza.of(e);
        XmlElement jingle = s.extension("jingle", JingleNamespaces.JINGLE);
        if (jingle != null) {
            Jingle j = Jingle.parse(jingle);
            assertThat(canonical(j.toXml())).isEqualTo(canonical(jingle));
            assertThat(canonical(j.toIq(s.from(), s.to(), s.id()).element())).isEqualTo(canonical(e));
        }
        Optional<JingleMessage> jmi = JingleMessage.from(s);
        if (jmi.isPresent()) {
            XmlElement original = null;
            for (XmlElement c : e.elements()) {
                if (JingleNamespaces.isJmi(c.namespace())) {
                    original = c;
                }
            }
            assertThat(canonical(jmi.get().toXml())).isEqualTo(canonical(original));
            assertThat(canonical(jmi.get().toMessage(s.to()).element()))
                    .isEqualTo(canonical(s.withAttr("from", null).element()));
        }
        if (s.isError()) {
            StanzaError err = s.error();
            if (err.appCondition() != null && err.appCondition().namespace().equals(JingleNamespaces.ERRORS)) {
                JingleException x = switch (err.appCondition().name()) {
                    case "out-of-order" -> JingleException.outOfOrder();
                    case "tie-break" -> JingleException.tieBreak();
                    case "unknown-session" -> JingleException.unknownSession();
                    case "unsupported-info" -> JingleException.unsupportedInfo();
                    default -> null; // security-required (§10 preconditions): not one we send
                };
                if (x == null) {
                    return;
                }
                Stanza request = Stanza.iq("set").id(s.id()).from(s.to().toString()).build();
                assertThat(canonical(x.errorReply(request).element()))
                        .isEqualTo(canonical(s.withAttr("from", null).element()));
            }
        }
    }

    @Test
    void everyFileHasItsExamples() throws IOException {
        int jingle = 0;
        int jmi = 0;
        for (String f : FILES) {
            for (XepFixtures.Example e : XepFixtures.load(f)) {
                jingle += e.xml().split("<jingle ", -1).length - 1;
                jmi += e.xml().split("xmlns='urn:xmpp:jingle-message:0'", -1).length - 1;
            }
        }
        assertThat(jingle).isGreaterThan(50);
        assertThat(jmi).isEqualTo(19);
    }
}
