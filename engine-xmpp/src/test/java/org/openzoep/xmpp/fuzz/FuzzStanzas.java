package org.openzoep.xmpp.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * Fuzz bytes as the stanzas a peer sends inside a client stream, for the targets that fuzz what
 * the engine makes of stanzas (engine-xmpp's Jingle target, engine-core's Jingle mapping target).
 *
 * <p>In a package of its own so that engine-core's tests can use it: a test-jar class in a package
 * of the module {@code org.openzoep.xmpp} is not visible to another module's tests.
 */
public final class FuzzStanzas {
    /** A client stream's header, as the XEP examples' stanzas arrive in one. */
    private static final byte[] HEAD = ("<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams'>").getBytes(StandardCharsets.UTF_8);

    private FuzzStanzas() {
    }

    /** The top-level elements the parser delivers for {@code body} inside a client stream (those before any violation). */
    public static List<XmlElement> of(byte[] body) {
        List<XmlElement> out = new ArrayList<>();
        XmlStreamParser p = new XmlStreamParser(XmlLimits.DEFAULT, new XmlStreamParser.Handler() {
            @Override
            public void streamOpened(XmlElement header, String contentNamespace) {
            }

            @Override
            public void element(XmlElement element) {
                out.add(element);
            }

            @Override
            public void streamClosed() {
            }

            @Override
            public void failed(XmlViolation violation, String detail) {
            }
        });
        p.feed(HEAD, 0, HEAD.length);
        p.feed(body, 0, body.length);
        return out;
    }

}
