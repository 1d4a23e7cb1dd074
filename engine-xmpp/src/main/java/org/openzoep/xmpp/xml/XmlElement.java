package org.openzoep.xmpp.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable XML element: a qualified name, attributes, and child elements and text in
 * document order.
 *
 * <p>Names and namespaces are the resolved ones (prefixes are a serialization detail). Attribute
 * storage is a flat array of (namespace, local name, value) triples and children a plain array, so
 * an element costs little more than its strings. Equality is structural, which the parser tests
 * use to compare the result of every split of a fixture.
 *
 * <p>Thread: immutable; shared freely.
 */
public final class XmlElement {

    /** The namespace of the {@code xml:} prefix, used by {@code xml:lang}. */
    public static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    private static final String[] NO_ATTRS = new String[0];
    private static final Object[] NO_CHILDREN = new Object[0];

    private final String name;
    private final String namespace;
    private final String[] attrs;
    private final Object[] children;

    private XmlElement(String name, String namespace, String[] attrs, Object[] children) {
        this.name = name;
        this.namespace = namespace;
        this.attrs = attrs;
        this.children = children;
    }

    /** The parser's direct construction: the arrays are taken over, not copied. */
    static XmlElement ofParts(String name, String namespace, String[] attrs, Object[] children) {
        return new XmlElement(name, namespace, attrs, children);
    }

    /** Starts an element in {@code namespace} ("" for none). */
    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    /** An empty element. */
    public static XmlElement of(String name, String namespace) {
        return new XmlElement(checkName(name), Objects.requireNonNull(namespace, "namespace"), NO_ATTRS, NO_CHILDREN);
    }

    public String name() {
        return name;
    }

    /** The namespace URI, "" when the element is in no namespace. */
    public String namespace() {
        return namespace;
    }

    public boolean is(String name, String namespace) {
        return this.name.equals(name) && this.namespace.equals(namespace);
    }

    /** Value of the unqualified attribute {@code name}, or null. */
    public String attr(String name) {
        return attr("", name);
    }

    /** Value of the attribute {@code name} in {@code namespace}, or null. */
    public String attr(String namespace, String name) {
        for (int i = 0; i < attrs.length; i += 3) {
            if (attrs[i + 1].equals(name) && attrs[i].equals(namespace)) {
                return attrs[i + 2];
            }
        }
        return null;
    }

    /** Number of attributes. */
    public int attrCount() {
        return attrs.length / 3;
    }

    public String attrNamespace(int index) {
        return attrs[index * 3];
    }

    public String attrName(int index) {
        return attrs[index * 3 + 1];
    }

    public String attrValue(int index) {
        return attrs[index * 3 + 2];
    }

    /** Number of child nodes (elements and text runs). */
    public int childCount() {
        return children.length;
    }

    /** Child node {@code index}: an {@code XmlElement} or a {@code String}. */
    public Object child(int index) {
        return children[index];
    }

    /** The first child element with this name and namespace, or null. */
    public XmlElement child(String name, String namespace) {
        for (Object c : children) {
            if (c instanceof XmlElement e && e.is(name, namespace)) {
                return e;
            }
        }
        return null;
    }

    /** All child elements, in order. */
    public List<XmlElement> elements() {
        List<XmlElement> out = new ArrayList<>(children.length);
        for (Object c : children) {
            if (c instanceof XmlElement e) {
                out.add(e);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The concatenated text of the direct text children ("" when none). */
    public String text() {
        if (children.length == 1 && children[0] instanceof String s) {
            return s;
        }
        StringBuilder sb = null;
        for (Object c : children) {
            if (c instanceof String s) {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s);
            }
        }
        return sb == null ? "" : sb.toString();
    }

    /** Text of the child element {@code name} in the same namespace as this one, or null. */
    public String childText(String name) {
        XmlElement c = child(name, namespace);
        return c == null ? null : c.text();
    }

    /** A builder that starts as a copy of this element. */
    public Builder toBuilder() {
        Builder b = new Builder(name, namespace);
        b.attrs.addAll(Arrays.asList(attrs));
        b.children.addAll(Arrays.asList(children));
        return b;
    }

    /** This element serialized (namespaces declared where they change). */
    public String toXml() {
        StringBuilder sb = new StringBuilder(64);
        XmlWriter.write(XmlWriter.sink(sb), this, null);
        return sb.toString();
    }

    @Override
    public String toString() {
        return toXml();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XmlElement e
                && name.equals(e.name)
                && namespace.equals(e.namespace)
                && Arrays.equals(attrs, e.attrs)
                && Arrays.equals(children, e.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, Arrays.hashCode(attrs), Arrays.hashCode(children));
    }

    /**
     * {@code name} if it is an XML name without a colon (an NCName: XML 1.0 fifth edition section
     * 2.3, Namespaces in XML section 3; the namespace is given apart). The writer writes names as
     * they are, so anything else ({@code '}, {@code <}, a space, a colon, a leading digit) would
     * write a broken or a different document.
     *
     * @throws IllegalArgumentException "not an XML name" with the name
     */
    private static String checkName(String name) {
        if (name == null || !isNcName(name)) {
            throw new IllegalArgumentException("not an XML name: '" + name + "'");
        }
        return name;
    }

    /** True when {@code s} is an NCName. */
    static boolean isNcName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (i == 0 ? !nameStart(c) : !nameChar(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean nameStart(int c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        }
        return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF)
                || (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
                || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF)
                || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
    }

    private static boolean nameChar(int c) {
        if (c < 0x80) {
            return nameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9');
        }
        return nameStart(c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
    }

    /** Builds an {@link XmlElement}. Adjacent text runs are merged. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String namespace;
        private final List<String> attrs = new ArrayList<>(6);
        private final List<Object> children = new ArrayList<>(2);

        private Builder(String name, String namespace) {
            this.name = checkName(name);
            this.namespace = Objects.requireNonNull(namespace, "namespace");
        }

        /** Sets an unqualified attribute; a null value removes it. */
        public Builder attr(String name, String value) {
            return attr("", name, value);
        }

        /** Sets an attribute in {@code namespace}; a null value removes it. */
        public Builder attr(String namespace, String name, String value) {
            checkName(name);
            for (int i = 0; i < attrs.size(); i += 3) {
                if (attrs.get(i + 1).equals(name) && attrs.get(i).equals(namespace)) {
                    if (value == null) {
                        attrs.subList(i, i + 3).clear();
                    } else {
                        attrs.set(i + 2, value);
                    }
                    return this;
                }
            }
            if (value != null) {
                attrs.add(namespace);
                attrs.add(name);
                attrs.add(value);
            }
            return this;
        }

        public Builder child(XmlElement child) {
            children.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        /** Adds an element {@code name} in this builder's namespace holding {@code text}. */
        public Builder textChild(String name, String text) {
            XmlElement.Builder b = new Builder(name, namespace);
            if (text != null && !text.isEmpty()) {
                b.text(text);
            }
            return child(b.build());
        }

        public Builder text(String text) {
            if (text == null || text.isEmpty()) {
                return this;
            }
            int last = children.size() - 1;
            if (last >= 0 && children.get(last) instanceof String prev) {
                children.set(last, prev + text);
            } else {
                children.add(text);
            }
            return this;
        }

        public int childCount() {
            return children.size();
        }

        public XmlElement build() {
            return new XmlElement(name, namespace,
                    attrs.isEmpty() ? NO_ATTRS : attrs.toArray(NO_ATTRS),
                    children.isEmpty() ? NO_CHILDREN : children.toArray());
        }
    }
}
