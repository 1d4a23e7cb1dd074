package org.openzoep.xmpp.disco;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * XEP-0215 external service discovery: asking the XMPP server for STUN and TURN services (and the
 * short-lived TURN credentials it hands out), and reading its answer.
 *
 * <p>Services pushed by the server (§3.3, iq set with {@code action} attributes) are parsed like
 * a result; the {@code action} is not modelled.
 *
 * <p>Thread: stateless.
 */
public final class ExternalServices {

    /** The XEP-0215 namespace. */
    public static final String NS = "urn:xmpp:extdisco:2";

    /**
     * One service.
     *
     * @param type       {@code stun}, {@code turn}, {@code turns}, ...
     * @param host       host name or IP address
     * @param port       port, 0 when not given
     * @param transport  {@code udp} or {@code tcp}, or null
     * @param username   credential user name, or null
     * @param password   credential password, or null
     * @param expires    when the credentials expire, or null
     * @param restricted whether credentials must be asked for separately (§3.2)
     * @param name       friendly name, or null
     */
    public record Service(String type, String host, int port, String transport, String username, String password,
            Instant expires, boolean restricted, String name) {
        public Service {
            if (type == null || host == null) {
                throw new IllegalArgumentException("service needs a type and a host");
            }
        }

        public Service(String type, String host, int port, String transport, String username, String password,
                Instant expires, boolean restricted) {
            this(type, host, port, transport, username, password, expires, restricted, null);
        }
    }

    private ExternalServices() {
    }

    /** An iq get asking {@code server} for all its services. */
    public static Stanza request(Jid server, String id) {
        return request(server, id, null);
    }

    /** An iq get asking {@code server} for its services of {@code type} ({@code stun}, {@code turn}), or all when null. */
    public static Stanza request(Jid server, String id, String type) {
        return Stanza.iq("get").to(server).id(id)
                .child(XmlElement.builder("services", NS).attr("type", type).build()).build();
    }

    /** An iq get asking {@code server} for credentials at a restricted service (§3.2). */
    public static Stanza credentialsRequest(Jid server, String id, String host, String type) {
        return Stanza.iq("get").to(server).id(id).child(XmlElement.builder("credentials", NS)
                .child(XmlElement.builder("service", NS).attr("host", host).attr("type", type).build()).build())
                .build();
    }

    /**
     * The services in a {@code <services/>} or {@code <credentials/>} answer, in document order. A
     * stanza without either (e.g. an error) gives an empty list; {@code <service/>} elements
     * without a host or type, or with an unreadable port, are skipped.
     */
    public static List<Service> parse(Stanza result) {
        XmlElement list = result.extension("services", NS);
        if (list == null) {
            list = result.extension("credentials", NS);
        }
        if (list == null || result.isError()) {
            return List.of();
        }
        List<Service> out = new ArrayList<>();
        for (XmlElement s : list.elements()) {
            if (!s.is("service", NS) || s.attr("host") == null || s.attr("type") == null) {
                continue;
            }
            int port = 0;
            if (s.attr("port") != null) {
                try {
                    port = Integer.parseInt(s.attr("port").trim());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (port < 0 || port > 65535) {
                    continue;
                }
            }
            out.add(new Service(s.attr("type"), s.attr("host"), port, s.attr("transport"), s.attr("username"),
                    s.attr("password"), instant(s.attr("expires")), bool(s.attr("restricted")), s.attr("name")));
        }
        return List.copyOf(out);
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean bool(String s) {
        return "true".equals(s) || "1".equals(s);
    }
}
