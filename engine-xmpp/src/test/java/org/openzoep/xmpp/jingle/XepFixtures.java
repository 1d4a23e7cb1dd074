package org.openzoep.xmpp.jingle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.openzoep.xmpp.xml.XmlElement;
import org.openzoep.xmpp.xml.XmlLimits;
import org.openzoep.xmpp.xml.XmlStreamParser;
import org.openzoep.xmpp.xml.XmlViolation;

/**
 * XEP examples kept as text fixtures under {@code /fixtures/jingle/}: one file per XEP, one
 * {@code ### caption} section per example, {@code #} lines as notes. Each example is parsed
 * inside a client stream, whole and split at every byte boundary, and every split must give the
 * same elements.
 *
 * <p>{@link #canonical} is the normalisation under which a written element must equal the
 * example it was read from: whitespace between elements and around text is not significant,
 * attribute order is not significant, and the relative order of sibling elements with different
 * names is not significant (siblings of the same name, such as payload types and candidates, keep
 * their order, which is a preference).
 */
public final class XepFixtures {
    static final String HEAD = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    /** One example. */
    public record Example(String caption, String xml) {
        @Override
        public String toString() {
            return caption;
        }
    }

    private XepFixtures() {
    }

    public static List<Example> load(String file) throws IOException {
        String text;
        try (InputStream in = XepFixtures.class.getResourceAsStream("/fixtures/jingle/" + file)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Example> out = new ArrayList<>();
        String caption = null;
        StringBuilder xml = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("### ")) {
                if (caption != null) {
                    out.add(new Example(caption, xml.toString().trim()));
                }
                caption = line.substring(4).trim();
                xml.setLength(0);
            } else if (!line.startsWith("#")) {
                xml.append(line).append('\n');
            }
        }
        if (caption != null) {
            out.add(new Example(caption, xml.toString().trim()));
        }
        return out;
    }

    /** The example by caption (the first with that caption). */
    public static Example example(String file, String caption) throws IOException {
        for (Example e : load(file)) {
            if (e.caption().equals(caption)) {
                return e;
            }
        }
        throw new AssertionError("no example '" + caption + "' in " + file);
    }

    /** The top-level elements of {@code xml}, checked to be the same at every split point. */
    public static List<XmlElement> parse(String xml) {
        byte[] head = HEAD.getBytes(StandardCharsets.UTF_8);
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        List<XmlElement> whole = parse(head, body, -1);
        assertThat(whole).as("elements of %s", xml).isNotEmpty();
        for (int i = 1; i < body.length; i++) {
            assertThat(parse(head, body, i)).as("split at %d", i).isEqualTo(whole);
        }
        return whole;
    }

    /** The single top-level element of {@code xml}, checked at every split point. */
    public static XmlElement parseOne(String xml) {
        List<XmlElement> all = parse(xml);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static List<XmlElement> parse(byte[] head, byte[] body, int split) {
        List<XmlElement> out = new ArrayList<>();
        String[] failure = new String[1];
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
                failure[0] = violation + ": " + detail;
            }
        });
        p.feed(head, 0, head.length);
        if (split < 0) {
            p.feed(body, 0, body.length);
        } else {
            p.feed(body, 0, split);
            p.feed(body, split, body.length - split);
        }
        assertThat(failure[0]).as("parser failure").isNull();
        return out;
    }

    /** {@code e} normalised as the class comment says. */
    public static XmlElement canonical(XmlElement e) {
        XmlElement.Builder b = XmlElement.builder(e.name(), e.namespace());
        List<String[]> attrs = new ArrayList<>();
        for (int i = 0; i < e.attrCount(); i++) {
            attrs.add(new String[] {e.attrNamespace(i), e.attrName(i), e.attrValue(i)});
        }
        attrs.sort(Comparator.<String[], String>comparing(a -> a[0]).thenComparing(a -> a[1]));
        for (String[] a : attrs) {
            b.attr(a[0], a[1], a[2]);
        }
        List<XmlElement> children = new ArrayList<>();
        for (XmlElement c : e.elements()) {
            children.add(canonical(c));
        }
        children.sort(Comparator.comparing(XmlElement::namespace).thenComparing(XmlElement::name)); // stable
        for (XmlElement c : children) {
            b.child(c);
        }
        b.text(e.text().trim());
        return b.build();
    }
}
