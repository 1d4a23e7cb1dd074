package org.openzoep.xmpp.jingle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * A Jingle Message Initiation element (XEP-0353): {@code <propose/>}, {@code <ringing/>},
 * {@code <proceed/>}, {@code <reject/>}, {@code <retract/>}, {@code <accept/>} or
 * {@code <finish/>}, carried in a {@code type='chat'} message with a XEP-0334 {@code <store/>} hint.
 *
 * @param kind         which message
 * @param id           the session id (the later Jingle sid)
 * @param descriptions for propose: one description per media, e.g. {@code RtpDescription.of("audio")}
 * @param reason       for reject, retract and finish: the reason, or null
 * @param tieBreak     for reject and retract: whether {@code <tie-break/>} is present (§5.1)
 * @param migratedTo   for finish: the {@code <migrated to/>} session id (§5.2), or null
 * @param namespace    the JMI namespace: {@link JingleNamespaces#JMI} (emitted by default) or the
 *                     older {@link JingleNamespaces#JMI_1} a message was read in
 */
public record JingleMessage(Kind kind, String id, List<RtpDescription> descriptions, Reason reason, boolean tieBreak,
        String migratedTo, String namespace) {

    /** The XEP-0353 messages. */
    public enum Kind {
        PROPOSE, RINGING, PROCEED, REJECT, RETRACT, ACCEPT, FINISH;

        private final String wireName = name().toLowerCase(Locale.ROOT);

        public String wireName() {
            return wireName;
        }

        static Kind of(String wireName) {
            for (Kind k : values()) {
                if (k.wireName.equals(wireName)) {
                    return k;
                }
            }
            return null;
        }
    }

    public JingleMessage {
        if (kind == null || id == null || id.isEmpty()) {
            throw new IllegalArgumentException("JMI message needs a kind and an id");
        }
        descriptions = descriptions == null ? List.of() : List.copyOf(descriptions);
        if (kind == Kind.PROPOSE && descriptions.isEmpty()) {
            throw new IllegalArgumentException("propose needs a description per media");
        }
        namespace = namespace == null ? JingleNamespaces.JMI : namespace;
        if (!JingleNamespaces.isJmi(namespace)) {
            throw new IllegalArgumentException("not a JMI namespace: " + namespace);
        }
    }

    public JingleMessage(Kind kind, String id, List<RtpDescription> descriptions, Reason reason) {
        this(kind, id, descriptions, reason, false, null, JingleNamespaces.JMI);
    }

    /** A propose of an audio call. */
    public static JingleMessage proposeAudio(String id) {
        return new JingleMessage(Kind.PROPOSE, id, List.of(RtpDescription.of("audio")), null);
    }

    /** A message of {@code kind} about session {@code id}, with an optional reason. */
    public static JingleMessage of(Kind kind, String id, Reason reason) {
        return new JingleMessage(kind, id, List.of(), reason);
    }

    /** True when a propose offers media {@code media} (e.g. {@code audio}). */
    public boolean proposes(String media) {
        for (RtpDescription d : descriptions) {
            if (d.media().equals(media)) {
                return true;
            }
        }
        return false;
    }

    public XmlElement toXml() {
        XmlElement.Builder b = XmlElement.builder(kind.wireName(), namespace).attr("id", id);
        for (RtpDescription d : descriptions) {
            b.child(d.toXml());
        }
        if (reason != null) {
            b.child(reason.toXml());
        }
        if (tieBreak) {
            b.child(XmlElement.of("tie-break", namespace));
        }
        if (migratedTo != null) {
            b.child(XmlElement.builder("migrated", namespace).attr("to", migratedTo).build());
        }
        return b.build();
    }

    /**
     * A chat message to {@code to} carrying this element and the {@code <store/>} hint, as XEP-0353
     * §4 requires of every JMI message.
     *
     * @param messageId the message's id attribute, or null
     */
    public Stanza toMessage(Jid to, String messageId) {
        return Stanza.message().to(to).type("chat").id(messageId).child(toXml())
                .child(XmlElement.of("store", JingleNamespaces.HINTS)).build();
    }

    /** As {@link #toMessage(Jid, String)} without a message id. */
    public Stanza toMessage(Jid to) {
        return toMessage(to, null);
    }

    /**
     * The JMI element of {@code message}, if it has one. A {@code type='error'} message has none:
     * it is a bounce that carries our own element back, and must not read as the peer's.
     * Carbon copies (XEP-0280) are the caller's to unwrap.
     *
     * @throws JingleException when the element is malformed (no id, a propose without description)
     */
    public static Optional<JingleMessage> from(Stanza message) throws JingleException {
        if (message.kind() != Stanza.Kind.MESSAGE || message.isError()) {
            return Optional.empty();
        }
        for (XmlElement e : message.element().elements()) {
            if (JingleNamespaces.isJmi(e.namespace()) && Kind.of(e.name()) != null) {
                return Optional.of(parse(e));
            }
        }
        return Optional.empty();
    }

    /** Reads a JMI element of either namespace. */
    public static JingleMessage parse(XmlElement e) throws JingleException {
        Kind kind = JingleNamespaces.isJmi(e.namespace()) ? Kind.of(e.name()) : null;
        if (kind == null) {
            throw JingleException.badRequest("not a JMI element: {" + e.namespace() + "}" + e.name());
        }
        String id = Xml.required(e, "id");
        List<RtpDescription> descriptions = new ArrayList<>();
        Reason reason = null;
        boolean tieBreak = false;
        String migratedTo = null;
        boolean foreignDescription = false;
        for (XmlElement c : e.elements()) {
            if (c.is("description", JingleNamespaces.RTP)) {
                descriptions.add(RtpDescription.parse(c));
            } else if (c.name().equals("description")) {
                foreignDescription = true;
            } else if (c.is("reason", JingleNamespaces.JINGLE) && reason == null) {
                reason = Reason.parse(c);
            } else if (c.is("tie-break", e.namespace())) {
                tieBreak = true;
            } else if (c.is("migrated", e.namespace())) {
                migratedTo = Xml.required(c, "to");
            }
        }
        if (kind == Kind.PROPOSE && descriptions.isEmpty()) {
            throw JingleException.badRequest(foreignDescription ? "propose of no RTP media" : "propose without description");
        }
        return new JingleMessage(kind, id, kind == Kind.PROPOSE ? descriptions : List.of(), reason, tieBreak,
                migratedTo, e.namespace());
    }
}
