package org.openzoep.xmpp.stanza;

import java.util.Objects;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * A message, presence or iq stanza (RFC 6120 §8): an immutable view over its element with typed
 * accessors. Extensions are child elements looked up by qualified name; unknown ones are kept as
 * they came.
 *
 * <p>Thread: immutable.
 */
public final class Stanza {

    /** The content namespace of client streams. */
    public static final String CLIENT_NS = "jabber:client";

    /** The three stanza kinds. */
    public enum Kind {
        MESSAGE("message"), PRESENCE("presence"), IQ("iq");

        private final String element;

        Kind(String element) {
            this.element = element;
        }

        public String elementName() {
            return element;
        }

        static Kind of(String name) {
            return switch (name) {
                case "message" -> MESSAGE;
                case "presence" -> PRESENCE;
                case "iq" -> IQ;
                default -> null;
            };
        }
    }

    private final Kind kind;
    private final XmlElement element;

    private Stanza(Kind kind, XmlElement element) {
        this.kind = kind;
        this.element = element;
    }

    /** True when {@code e} is a stanza of a client stream. */
    public static boolean isStanza(XmlElement e) {
        return e.namespace().equals(CLIENT_NS) && Kind.of(e.name()) != null;
    }

    /** Wraps {@code e}; throws {@link IllegalArgumentException} when it is not a client stanza. */
    public static Stanza of(XmlElement e) {
        Kind k = e.namespace().equals(CLIENT_NS) ? Kind.of(e.name()) : null;
        if (k == null) {
            throw new IllegalArgumentException("not a stanza: {" + e.namespace() + "}" + e.name());
        }
        return new Stanza(k, e);
    }

    public static Builder message() {
        return new Builder(Kind.MESSAGE);
    }

    public static Builder presence() {
        return new Builder(Kind.PRESENCE);
    }

    /** An iq of {@code type} ({@code get}, {@code set}, {@code result} or {@code error}). */
    public static Builder iq(String type) {
        return new Builder(Kind.IQ).type(type);
    }

    public Kind kind() {
        return kind;
    }

    public XmlElement element() {
        return element;
    }

    /** The {@code to} address, or null when absent or malformed. */
    public Jid to() {
        return Jid.parseOrNull(element.attr("to"));
    }

    /** The {@code from} address, or null when absent or malformed. */
    public Jid from() {
        return Jid.parseOrNull(element.attr("from"));
    }

    public String id() {
        return element.attr("id");
    }

    /** The {@code type} attribute, or null. */
    public String type() {
        return element.attr("type");
    }

    public boolean isError() {
        return "error".equals(type());
    }

    /** The stanza error, or null when this is not an error. */
    public StanzaError error() {
        XmlElement e = element.child("error", CLIENT_NS);
        return isError() && e != null ? StanzaError.from(e) : (isError() ? StanzaError.of("cancel", "undefined-condition", null) : null);
    }

    /** The first extension element with this qualified name, or null. */
    public XmlElement extension(String name, String namespace) {
        return element.child(name, namespace);
    }

    /** For an iq: its single payload element, or null. */
    public XmlElement payload() {
        for (XmlElement c : element.elements()) {
            if (!c.is("error", CLIENT_NS)) {
                return c;
            }
        }
        return null;
    }

    /** The message body (no language selection), or null. */
    public String body() {
        XmlElement b = element.child("body", CLIENT_NS);
        return b == null ? null : b.text();
    }

    /** An iq {@code result} answering this iq, with no payload. */
    public Stanza result() {
        Builder b = iq("result").id(id());
        if (element.attr("from") != null) {
            b.to(element.attr("from"));
        }
        return b.build();
    }

    /** An error reply to this stanza: same kind and id, addressed back to the sender. */
    public Stanza errorReply(StanzaError error) {
        Builder b = new Builder(kind).type("error").id(id());
        if (element.attr("from") != null) {
            b.to(element.attr("from"));
        }
        return b.child(error.toElement(CLIENT_NS)).build();
    }

    /** A copy with {@code attr} set to {@code value} (null removes it). */
    public Stanza withAttr(String attr, String value) {
        return new Stanza(kind, element.toBuilder().attr(attr, value).build());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stanza s && element.equals(s.element);
    }

    @Override
    public int hashCode() {
        return element.hashCode();
    }

    @Override
    public String toString() {
        return element.toXml();
    }

    /** Builds a stanza. Not thread-safe. */
    public static final class Builder {
        private final Kind kind;
        private final XmlElement.Builder b;

        private Builder(Kind kind) {
            this.kind = kind;
            this.b = XmlElement.builder(kind.elementName(), CLIENT_NS);
        }

        public Builder to(Jid to) {
            return to(to == null ? null : to.toString());
        }

        public Builder to(String to) {
            b.attr("to", to);
            return this;
        }

        public Builder from(String from) {
            b.attr("from", from);
            return this;
        }

        public Builder id(String id) {
            b.attr("id", id);
            return this;
        }

        public Builder type(String type) {
            b.attr("type", type);
            return this;
        }

        public Builder attr(String name, String value) {
            b.attr(name, value);
            return this;
        }

        /** Adds a {@code <body/>} (messages). */
        public Builder body(String body) {
            b.textChild("body", body);
            return this;
        }

        /** Adds a child element: an extension or an iq payload. */
        public Builder child(XmlElement child) {
            b.child(Objects.requireNonNull(child, "child"));
            return this;
        }

        public Stanza build() {
            return new Stanza(kind, b.build());
        }
    }
}
