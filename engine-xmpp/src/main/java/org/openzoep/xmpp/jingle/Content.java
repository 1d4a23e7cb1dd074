package org.openzoep.xmpp.jingle;

import java.util.List;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * A Jingle content (XEP-0166 §7.3): {@code <content creator name senders>} holding an application
 * description and a transport. The optional {@code disposition} attribute (default
 * {@code session}) is not modelled and is not written back.
 *
 * @param creator     {@code initiator} or {@code responder}
 * @param name        the content's name, unique per creator
 * @param senders     {@code both}, {@code initiator}, {@code responder} or {@code none}; null when
 *                    absent (meaning {@code both})
 * @param description the RTP description, or null (absent, as in transport-info, or foreign:
 *                    then it is among {@code extensions})
 * @param transport   the ICE-UDP transport, or null (absent, or foreign: then among {@code extensions})
 * @param extensions  other children (descriptions and transports of other namespaces,
 *                    {@code <security/>}, ...), kept as they came
 */
public record Content(String creator, String name, String senders, RtpDescription description,
        IceUdpTransport transport, List<XmlElement> extensions) {

    public Content {
        if (!"initiator".equals(creator) && !"responder".equals(creator)) {
            throw new IllegalArgumentException("creator must be initiator or responder: " + creator);
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("content needs a name");
        }
        if (senders != null && !validSenders(senders)) {
            throw new IllegalArgumentException("bad senders: " + senders);
        }
        extensions = Xml.copy(extensions);
    }

    public Content(String creator, String name, String senders, RtpDescription description, IceUdpTransport transport) {
        this(creator, name, senders, description, transport, List.of());
    }

    private static boolean validSenders(String s) {
        return s.equals("both") || s.equals("initiator") || s.equals("responder") || s.equals("none");
    }

    /** This content with another transport (e.g. for a transport-info carrying new candidates). */
    public Content withTransport(IceUdpTransport t) {
        return new Content(creator, name, senders, description, t, extensions);
    }

    /** This content without its description, as transport-info carries it. */
    public Content withoutDescription() {
        return new Content(creator, name, senders, null, transport, extensions);
    }

    /** True when a description is present that this package does not model (not RTP). */
    public boolean hasForeignDescription() {
        for (XmlElement e : extensions) {
            if (e.name().equals("description")) {
                return true;
            }
        }
        return false;
    }

    /** True when a transport is present that this package does not model (not ICE-UDP). */
    public boolean hasForeignTransport() {
        for (XmlElement e : extensions) {
            if (e.name().equals("transport")) {
                return true;
            }
        }
        return false;
    }

    public XmlElement toXml() {
        XmlElement.Builder b = XmlElement.builder("content", JingleNamespaces.JINGLE).attr("creator", creator)
                .attr("name", name).attr("senders", senders);
        if (description != null) {
            b.child(description.toXml());
        }
        if (transport != null) {
            b.child(transport.toXml());
        }
        Xml.addAll(b, extensions);
        return b.build();
    }

    public static Content parse(XmlElement e) throws JingleException {
        String creator = Xml.required(e, "creator");
        if (!creator.equals("initiator") && !creator.equals("responder")) {
            throw JingleException.badRequest("content creator must be initiator or responder: " + creator);
        }
        String name = Xml.required(e, "name");
        String senders = e.attr("senders");
        if (senders != null && !validSenders(senders)) {
            throw JingleException.badRequest("bad content senders: " + senders);
        }
        RtpDescription description = null;
        IceUdpTransport transport = null;
        List<XmlElement> ext = Xml.newList();
        for (XmlElement c : e.elements()) {
            if (description == null && c.is("description", JingleNamespaces.RTP)) {
                description = RtpDescription.parse(c);
            } else if (transport == null && c.is("transport", JingleNamespaces.ICE_UDP)) {
                transport = IceUdpTransport.parse(c);
            } else {
                ext.add(c);
            }
        }
        return new Content(creator, name, senders, description, transport, ext);
    }
}
