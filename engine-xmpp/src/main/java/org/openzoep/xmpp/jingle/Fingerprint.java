package org.openzoep.xmpp.jingle;

import java.util.Locale;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * A DTLS certificate fingerprint (XEP-0320, RFC 8122 / RFC 5763):
 * {@code <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash setup>VALUE</fingerprint>},
 * carried in an ICE-UDP {@code <transport/>}.
 *
 * @param hash  hash function name as in SDP ({@code sha-256})
 * @param setup DTLS role: {@code actpass}, {@code active}, {@code passive} or {@code holdconn}
 * @param value the fingerprint, colon-separated hex pairs (surrounding whitespace trimmed)
 */
public record Fingerprint(String hash, String setup, String value) {

    public Fingerprint {
        if (hash == null || setup == null || value == null) {
            throw new IllegalArgumentException("fingerprint needs hash, setup and value");
        }
        value = value.trim();
    }

    public XmlElement toXml() {
        return XmlElement.builder("fingerprint", JingleNamespaces.DTLS).attr("hash", hash).attr("setup", setup)
                .text(value).build();
    }

    public static Fingerprint parse(XmlElement e) throws JingleException {
        String hash = Xml.required(e, "hash");
        String setup = Xml.required(e, "setup").toLowerCase(Locale.ROOT);
        if (!setup.equals("actpass") && !setup.equals("active") && !setup.equals("passive")
                && !setup.equals("holdconn")) {
            throw JingleException.badRequest("unknown DTLS setup role: " + setup);
        }
        String value = e.text().trim();
        if (value.isEmpty()) {
            throw JingleException.badRequest("empty DTLS fingerprint");
        }
        return new Fingerprint(hash, setup, value);
    }
}
