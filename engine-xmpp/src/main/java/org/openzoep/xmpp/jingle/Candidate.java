package org.openzoep.xmpp.jingle;

import org.openzoep.xmpp.xml.XmlElement;

/**
 * An ICE candidate (XEP-0176 §5, RFC 8445): the attributes of an SDP {@code a=candidate} line.
 * All are required by the XEP's schema except {@code network}, {@code rel-addr} and
 * {@code rel-port}; a missing {@code network} is read as 0 and always written.
 *
 * @param priority the ICE priority; read as any positive integer, as XEP-0176's schema allows (its
 *                own §6.4 example exceeds 2^32), not checked against RFC 8445's 31-bit bound
 * @param type    {@code host}, {@code prflx}, {@code srflx} or {@code relay}
 * @param relAddr related address (srflx, prflx, relay), or null
 * @param relPort related port, or null
 */
public record Candidate(int component, String foundation, int generation, String id, String ip, int network,
        int port, long priority, String protocol, String type, String relAddr, Integer relPort) {

    public Candidate {
        if (foundation == null || id == null || ip == null || protocol == null || type == null) {
            throw new IllegalArgumentException("candidate needs foundation, id, ip, protocol and type");
        }
    }

    public XmlElement toXml() {
        XmlElement.Builder b = XmlElement.builder("candidate", JingleNamespaces.ICE_UDP)
                .attr("component", Integer.toString(component))
                .attr("foundation", foundation)
                .attr("generation", Integer.toString(generation))
                .attr("id", id)
                .attr("ip", ip)
                .attr("network", Integer.toString(network))
                .attr("port", Integer.toString(port))
                .attr("priority", Long.toString(priority))
                .attr("protocol", protocol)
                .attr("type", type)
                .attr("rel-addr", relAddr);
        if (relPort != null) {
            b.attr("rel-port", Integer.toString(relPort));
        }
        return b.build();
    }

    public static Candidate parse(XmlElement e) throws JingleException {
        String type = Xml.required(e, "type");
        if (!type.equals("host") && !type.equals("prflx") && !type.equals("srflx") && !type.equals("relay")) {
            throw JingleException.badRequest("unknown candidate type: " + type);
        }
        String relPort = e.attr("rel-port");
        return new Candidate(
                (int) Xml.requiredNumber(e, "component", 1, 255),
                Xml.required(e, "foundation"),
                (int) Xml.requiredNumber(e, "generation", 0, 255),
                Xml.required(e, "id"),
                Xml.required(e, "ip"),
                (int) Xml.optionalNumber(e, "network", 0, 255, 0),
                (int) Xml.requiredNumber(e, "port", 0, 65535),
                Xml.requiredNumber(e, "priority", 1, Long.MAX_VALUE),
                Xml.required(e, "protocol"),
                type,
                e.attr("rel-addr"),
                relPort == null ? null : (int) Xml.number(e, "rel-port", relPort, 0, 65535));
    }
}
