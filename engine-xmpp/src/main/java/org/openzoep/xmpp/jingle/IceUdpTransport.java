package org.openzoep.xmpp.jingle;

import java.util.ArrayList;
import java.util.List;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * An ICE-UDP transport (XEP-0176): {@code <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'
 * ufrag pwd>} with candidates and, for DTLS-SRTP, a XEP-0320 fingerprint.
 *
 * @param ufrag       ICE username fragment, or null (allowed, e.g. in a bare candidate update)
 * @param pwd         ICE password, or null
 * @param fingerprint DTLS fingerprint, or null
 * @param candidates  candidates in document order
 * @param extensions  children not modelled here (e.g. {@code <remote-candidate/>}), kept as they came
 */
public record IceUdpTransport(String ufrag, String pwd, Fingerprint fingerprint, List<Candidate> candidates,
        List<XmlElement> extensions) {

    public IceUdpTransport {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        extensions = Xml.copy(extensions);
    }

    public IceUdpTransport(String ufrag, String pwd, Fingerprint fingerprint, List<Candidate> candidates) {
        this(ufrag, pwd, fingerprint, candidates, List.of());
    }

    public XmlElement toXml() {
        XmlElement.Builder b = XmlElement.builder("transport", JingleNamespaces.ICE_UDP).attr("pwd", pwd)
                .attr("ufrag", ufrag);
        if (fingerprint != null) {
            b.child(fingerprint.toXml());
        }
        for (Candidate c : candidates) {
            b.child(c.toXml());
        }
        Xml.addAll(b, extensions);
        return b.build();
    }

    public static IceUdpTransport parse(XmlElement e) throws JingleException {
        if (!e.is("transport", JingleNamespaces.ICE_UDP)) {
            throw JingleException.badRequest("not an ICE-UDP transport: {" + e.namespace() + "}" + e.name());
        }
        Fingerprint fp = null;
        List<Candidate> candidates = new ArrayList<>();
        List<XmlElement> ext = Xml.newList();
        for (XmlElement c : e.elements()) {
            if (c.is("candidate", JingleNamespaces.ICE_UDP)) {
                candidates.add(Candidate.parse(c));
            } else if (c.is("fingerprint", JingleNamespaces.DTLS) && fp == null) {
                fp = Fingerprint.parse(c);
            } else {
                ext.add(c);
            }
        }
        return new IceUdpTransport(e.attr("ufrag"), e.attr("pwd"), fp, candidates, ext);
    }
}
