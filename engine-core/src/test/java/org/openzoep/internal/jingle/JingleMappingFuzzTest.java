package org.openzoep.internal.jingle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.openzoep.media.description.MediaDescription;
import org.openzoep.xmpp.fuzz.FuzzStanzas;
import org.openzoep.xmpp.jingle.Content;
import org.openzoep.xmpp.jingle.Jingle;
import org.openzoep.xmpp.jingle.JingleException;
import org.openzoep.xmpp.jingle.JingleNamespaces;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * Fuzz target: a peer's Jingle payload through {@link JingleMapping} to the session description,
 * as {@code JingleSignaller} maps an offer, an answer and a transport-info. The input is the
 * bytes of stanzas inside a client stream ({@link FuzzStanzas}); every content of every payload
 * that parses is mapped as the initiator's and as the responder's, its transport to ICE
 * parameters, and the description back to a content. None of it may throw: the signaller does not
 * expect the mapping to fail on a payload that parsed.
 *
 * <p>Corpus: {@code JingleMappingFuzzTestInputs/mapping/}, seeded with the XEP examples
 * ({@code org.openzoep.xmpp.fuzz.FuzzSeeds}).
 */
class JingleMappingFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void mapping(byte[] data) {
        for (XmlElement stanza : FuzzStanzas.of(data)) {
            XmlElement e = stanza.is("jingle", JingleNamespaces.JINGLE) ? stanza
                    : stanza.child("jingle", JingleNamespaces.JINGLE);
            if (e != null) {
                map(e);
            }
        }
    }

    private static void map(XmlElement e) {
        Jingle j;
        try {
            j = Jingle.parse(e);
        } catch (JingleException refused) {
            return; // answered with an iq error; nothing to map
        }
        for (Content c : j.contents()) {
            for (boolean initiator : new boolean[] {true, false}) {
                MediaDescription d = JingleMapping.toDescription(c, initiator);
                if (d != null) {
                    JingleMapping.toContent(d, c.creator(), c.name(), initiator);
                }
            }
            if (c.transport() != null) {
                JingleMapping.toIce(c.transport());
            }
        }
    }
}
