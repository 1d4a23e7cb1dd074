package org.openzoep.xmpp.jingle;

import java.util.ArrayList;
import java.util.List;
import org.openzoep.xmpp.xml.XmlElement;

/** Attribute reading with the right {@link JingleException} on failure. */
final class Xml {
    private Xml() {
    }

    static String required(XmlElement e, String attr) throws JingleException {
        String v = e.attr(attr);
        if (v == null || v.isEmpty()) {
            throw JingleException.badRequest("<" + e.name() + "/> needs a '" + attr + "' attribute");
        }
        return v;
    }

    static long number(XmlElement e, String attr, String value, long min, long max) throws JingleException {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException ex) {
            throw JingleException.badRequest("<" + e.name() + "/> '" + attr + "' is not a number: " + value);
        }
        if (n < min || n > max) {
            throw JingleException.badRequest("<" + e.name() + "/> '" + attr + "' out of range: " + value);
        }
        return n;
    }

    static long requiredNumber(XmlElement e, String attr, long min, long max) throws JingleException {
        return number(e, attr, required(e, attr), min, max);
    }

    /** The attribute as a number, {@code absent} when it is missing. */
    static long optionalNumber(XmlElement e, String attr, long min, long max, long absent) throws JingleException {
        String v = e.attr(attr);
        return v == null ? absent : number(e, attr, v, min, max);
    }

    static List<XmlElement> copy(List<XmlElement> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static List<XmlElement> newList() {
        return new ArrayList<>(0);
    }

    static void addAll(XmlElement.Builder b, List<XmlElement> children) {
        for (XmlElement c : children) {
            b.child(c);
        }
    }
}
