package org.openzoep.xmpp.disco;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * XEP-0115 entity capabilities: the §5.1 verification string over a disco#info identity set,
 * feature set and XEP-0128 extended forms, hashed with SHA-1 and base64-encoded, and the
 * {@code <c/>} element that carries it in presence.
 *
 * <p>Sorting is by "i;octet" collation (RFC 4790 §9.3), i.e. by UTF-8 bytes.
 *
 * <p>Thread: stateless.
 */
public final class EntityCaps {

    /** The caps namespace, also the feature an entity supporting caps advertises (§6). */
    public static final String NS = "http://jabber.org/protocol/caps";
    private static final String DATA_NS = "jabber:x:data";
    private static final String DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";

    /** A disco#info identity. */
    public record Identity(String category, String type, String lang, String name) {
        public Identity {
            if (category == null || type == null) {
                throw new IllegalArgumentException("identity needs a category and a type");
            }
        }

        /** The {@code <identity/>} element in the disco#info namespace. */
        public XmlElement toXml() {
            XmlElement.Builder b = XmlElement.builder("identity", DISCO_INFO_NS)
                    .attr("category", category).attr("type", type).attr("name", name);
            if (lang != null) {
                b.attr(XmlElement.XML_NS, "lang", lang);
            }
            return b.build();
        }
    }

    private EntityCaps() {
    }

    private static final Comparator<String> OCTET = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /**
     * The §5.1 verification string (SHA-1, base64).
     *
     * @param identities    the disco#info identities
     * @param features      the disco#info features (duplicates count once)
     * @param extendedForms XEP-0128 data forms ({@code <x xmlns='jabber:x:data'/>}); forms without
     *                      a hidden FORM_TYPE field are ignored, as §5.4 says
     */
    public static String verification(List<Identity> identities, List<String> features, List<XmlElement> extendedForms) {
        StringBuilder s = new StringBuilder(256);
        List<String> ids = new ArrayList<>(identities.size());
        for (Identity i : identities) {
            ids.add(i.category() + "/" + i.type() + "/" + nz(i.lang()) + "/" + nz(i.name()));
        }
        ids.sort(Comparator.comparing((String x) -> x, identityOrder()));
        for (String i : ids) {
            s.append(i).append('<');
        }
        TreeSet<String> fs = new TreeSet<>(OCTET);
        fs.addAll(features);
        for (String f : fs) {
            s.append(f).append('<');
        }
        List<String[]> forms = new ArrayList<>();
        for (XmlElement x : extendedForms) {
            String formType = formType(x);
            if (formType != null) {
                forms.add(new String[] {formType, formString(x, formType)});
            }
        }
        forms.sort((a, b) -> OCTET.compare(a[0], b[0]));
        for (String[] f : forms) {
            s.append(f[1]);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JRE", e);
        }
    }

    /**
     * The verification string of a disco#info {@code <query/>}: its identities, features and
     * extended forms, as a receiver checks a peer's {@code ver} (§5.4).
     */
    public static String verification(XmlElement discoInfoQuery) {
        List<Identity> ids = new ArrayList<>();
        List<String> features = new ArrayList<>();
        List<XmlElement> forms = new ArrayList<>();
        for (XmlElement c : discoInfoQuery.elements()) {
            if (c.is("identity", DISCO_INFO_NS) && c.attr("category") != null && c.attr("type") != null) {
                ids.add(new Identity(c.attr("category"), c.attr("type"), c.attr(XmlElement.XML_NS, "lang"),
                        c.attr("name")));
            } else if (c.is("feature", DISCO_INFO_NS) && c.attr("var") != null) {
                features.add(c.attr("var"));
            } else if (c.is("x", DATA_NS)) {
                forms.add(c);
            }
        }
        return verification(ids, features, forms);
    }

    /** Identities sort by category, then type, then lang (then name), each by octets. */
    private static Comparator<String> identityOrder() {
        return (a, b) -> {
            String[] x = a.split("/", 4);
            String[] y = b.split("/", 4);
            for (int i = 0; i < 4; i++) {
                int c = OCTET.compare(x[i], y[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String formType(XmlElement x) {
        if (!x.is("x", DATA_NS)) {
            return null;
        }
        for (XmlElement f : x.elements()) {
            if (f.is("field", DATA_NS) && "FORM_TYPE".equals(f.attr("var"))) {
                XmlElement v = f.child("value", DATA_NS);
                return v == null ? null : v.text();
            }
        }
        return null;
    }

    private static String formString(XmlElement x, String formType) {
        StringBuilder s = new StringBuilder().append(formType).append('<');
        List<XmlElement> fields = new ArrayList<>();
        for (XmlElement f : x.elements()) {
            if (f.is("field", DATA_NS) && f.attr("var") != null && !"FORM_TYPE".equals(f.attr("var"))) {
                fields.add(f);
            }
        }
        fields.sort((a, b) -> OCTET.compare(a.attr("var"), b.attr("var")));
        for (XmlElement f : fields) {
            s.append(f.attr("var")).append('<');
            List<String> values = new ArrayList<>();
            for (XmlElement v : f.elements()) {
                if (v.is("value", DATA_NS)) {
                    values.add(v.text());
                }
            }
            values.sort(OCTET);
            for (String v : values) {
                s.append(v).append('<');
            }
        }
        return s.toString();
    }

    /** The presence element {@code <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node ver/>}. */
    public static XmlElement element(String node, String ver) {
        return XmlElement.builder("c", NS).attr("hash", "sha-1").attr("node", node).attr("ver", ver).build();
    }
}
