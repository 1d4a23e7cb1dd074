package org.openzoep.xmpp.jingle;

import java.util.ArrayList;
import java.util.List;
import org.openzoep.xmpp.fuzz.FuzzStanzas;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * The Jingle fuzz target's checks: the Jingle and Jingle Message Initiation payloads in a peer's
 * stanzas ({@link FuzzStanzas}) parsed as the engine parses them. The only exception a payload may raise is {@link JingleException} (the engine
 * answers it with an iq error); whatever parses must write an element that parses to the same.
 */
final class JingleFuzzing {
    private JingleFuzzing() {
    }

    /** Every {@code <jingle/>} in the stanzas (the stanza itself or one of its children) that parses. */
    static List<Jingle> jingles(byte[] body) {
        List<Jingle> out = new ArrayList<>();
        for (XmlElement stanza : FuzzStanzas.of(body)) {
            List<XmlElement> candidates = new ArrayList<>(stanza.elements());
            candidates.add(0, stanza);
            for (XmlElement e : candidates) {
                if (e.is("jingle", JingleNamespaces.JINGLE)) {
                    Jingle j = jingle(e);
                    if (j != null) {
                        out.add(j);
                    }
                } else if (JingleNamespaces.isJmi(e.namespace())) {
                    message(e);
                }
            }
        }
        return out;
    }

    /** The payload parsed, or null when it was refused with a {@link JingleException}; checks the round trip. */
    static Jingle jingle(XmlElement e) {
        Jingle j;
        try {
            j = Jingle.parse(e);
        } catch (JingleException refused) {
            return null;
        }
        XmlElement written = j.toXml();
        try {
            XmlElement again = Jingle.parse(written).toXml();
            if (!again.equals(written)) {
                throw new AssertionError("written " + written + " parses and writes as " + again);
            }
        } catch (JingleException ex) {
            throw new AssertionError("parsed " + e + " but refused its own writing " + written + ": " + ex.getMessage(), ex);
        }
        return j;
    }

    /** A JMI element parsed (or refused); checks the round trip. */
    static JingleMessage message(XmlElement e) {
        JingleMessage m;
        try {
            m = JingleMessage.parse(e);
        } catch (JingleException refused) {
            return null;
        }
        XmlElement written = m.toXml();
        try {
            XmlElement again = JingleMessage.parse(written).toXml();
            if (!again.equals(written)) {
                throw new AssertionError("written " + written + " parses and writes as " + again);
            }
        } catch (JingleException ex) {
            throw new AssertionError("parsed " + e + " but refused its own writing " + written + ": " + ex.getMessage(), ex);
        }
        return m;
    }
}
