package org.openzoep.xmpp.jingle;

import java.util.List;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * An RTP application description (XEP-0167 §4): {@code <description xmlns='urn:xmpp:jingle:apps:rtp:1'
 * media ssrc>} with payload types in preference order and an optional {@code <rtcp-mux/>}.
 *
 * @param media        {@code audio} or {@code video}
 * @param ssrc         the sender's 32-bit SSRC, or null
 * @param payloadTypes payload types, most preferred first
 * @param rtcpMux      whether RTP and RTCP share one port (RFC 5761)
 * @param extensions   children not modelled here ({@code <encryption/>}, {@code <bandwidth/>},
 *                     XEP-0294 header extensions, XEP-0339 sources, ...), kept as they came
 */
public record RtpDescription(String media, Long ssrc, List<PayloadType> payloadTypes, boolean rtcpMux,
        List<XmlElement> extensions) {

    public RtpDescription {
        if (media == null || media.isEmpty()) {
            throw new IllegalArgumentException("description needs a media type");
        }
        if (ssrc != null && (ssrc < 0 || ssrc > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("ssrc out of range: " + ssrc);
        }
        payloadTypes = payloadTypes == null ? List.of() : List.copyOf(payloadTypes);
        extensions = Xml.copy(extensions);
    }

    public RtpDescription(String media, Long ssrc, List<PayloadType> payloadTypes, boolean rtcpMux) {
        this(media, ssrc, payloadTypes, rtcpMux, List.of());
    }

    /** An empty description of {@code media}, as in a JMI {@code <propose/>}. */
    public static RtpDescription of(String media) {
        return new RtpDescription(media, null, List.of(), false, List.of());
    }

    public XmlElement toXml() {
        XmlElement.Builder b = XmlElement.builder("description", JingleNamespaces.RTP).attr("media", media);
        if (ssrc != null) {
            b.attr("ssrc", Long.toString(ssrc));
        }
        for (PayloadType p : payloadTypes) {
            b.child(p.toXml());
        }
        if (rtcpMux) {
            b.child(XmlElement.of("rtcp-mux", JingleNamespaces.RTP));
        }
        Xml.addAll(b, extensions);
        return b.build();
    }

    /** Reads a {@code <description/>} of the RTP namespace. */
    public static RtpDescription parse(XmlElement e) throws JingleException {
        if (!e.is("description", JingleNamespaces.RTP)) {
            throw JingleException.badRequest("not an RTP description: {" + e.namespace() + "}" + e.name());
        }
        String media = Xml.required(e, "media");
        Long ssrc = e.attr("ssrc") == null ? null : Xml.number(e, "ssrc", e.attr("ssrc"), 0, 0xFFFF_FFFFL);
        List<PayloadType> pts = new java.util.ArrayList<>();
        boolean mux = false;
        List<XmlElement> ext = Xml.newList();
        for (XmlElement c : e.elements()) {
            if (c.is("payload-type", JingleNamespaces.RTP)) {
                pts.add(PayloadType.parse(c));
            } else if (c.is("rtcp-mux", JingleNamespaces.RTP)) {
                mux = true;
            } else {
                ext.add(c);
            }
        }
        return new RtpDescription(media, ssrc, pts, mux, ext);
    }
}
