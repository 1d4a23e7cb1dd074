package org.openzoep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlStreamParser;

/** An application's listener that keeps everything the engine emits, for tests. */
class XmlRecorder implements AccountListener {
    final BlockingQueue<String> xml = new LinkedBlockingQueue<>();
    final BlockingQueue<Stanza> stanzas = new LinkedBlockingQueue<>();

    @Override
    public void onXml(String s) {
        xml.add(s);
    }

    @Override
    public void onStanza(Account account, Stanza stanza) {
        stanzas.add(stanza);
    }

    /** The next XML the engine emitted (fails after 15 s). */
    String next() throws InterruptedException {
        String s = xml.poll(15, TimeUnit.SECONDS);
        assertThat(s).as("XML from the engine within 15 s").isNotNull();
        return s;
    }

    /** The next emitted element, parsed (stream headers and closes are skipped). */
    XmlElement nextElement() throws InterruptedException {
        while (true) {
            String s = next();
            if (!s.startsWith("<?xml") && !s.equals("</stream:stream>")) {
                return XmlStreamParser.parseElement(s, Stanza.CLIENT_NS);
            }
        }
    }

    /** The next emitted element that satisfies the predicate, skipping others (for presence noise). */
    XmlElement nextElement(java.util.function.Predicate<XmlElement> p) throws InterruptedException {
        while (true) {
            XmlElement e = nextElement();
            if (p.test(e)) {
                return e;
            }
        }
    }
}
