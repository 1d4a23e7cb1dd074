package org.openzoep.xmpp.jingle;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * A {@code <jingle xmlns='urn:xmpp:jingle:1'/>} element (XEP-0166 §7): one action on one session.
 *
 * <p>{@link #parse} checks what XEP-0166 requires of each action and throws a
 * {@link JingleException} carrying the error to answer the iq with: {@code bad-request} for
 * missing or malformed attributes and elements, {@code feature-not-implemented} +
 * {@code <unsupported-info/>} for a session-info payload other than XEP-0167's. An
 * {@code initiator} attribute is recommended, not required, on session-initiate; when it is absent
 * the iq's sender is the initiator ({@link #initiatorOr}).
 *
 * @param action     the action
 * @param sid        the session id
 * @param initiator  the {@code initiator} attribute, or null
 * @param responder  the {@code responder} attribute, or null
 * @param contents   the contents, in document order
 * @param reason     the reason, or null
 * @param info       for session-info: the XEP-0167 informational message, or null (an empty
 *                   session-info is a ping)
 * @param extensions other children (e.g. XEP-0338 {@code <group/>}), kept as they came
 */
public record Jingle(Action action, String sid, Jid initiator, Jid responder, List<Content> contents, Reason reason,
        SessionInfo info, List<XmlElement> extensions) {

    /** Actions that act on named contents and so carry at least one. */
    private static final Set<Action> NEED_CONTENT = EnumSet.of(Action.SESSION_INITIATE, Action.SESSION_ACCEPT,
            Action.CONTENT_ADD, Action.CONTENT_ACCEPT, Action.CONTENT_MODIFY, Action.CONTENT_REJECT,
            Action.CONTENT_REMOVE, Action.DESCRIPTION_INFO, Action.TRANSPORT_INFO, Action.TRANSPORT_ACCEPT,
            Action.TRANSPORT_REJECT, Action.TRANSPORT_REPLACE);
    /** Actions whose contents each define an application and a transport. */
    private static final Set<Action> NEED_DEFINITION = EnumSet.of(Action.SESSION_INITIATE, Action.SESSION_ACCEPT,
            Action.CONTENT_ADD, Action.CONTENT_ACCEPT);
    /** Actions whose contents each carry a transport. */
    private static final Set<Action> NEED_TRANSPORT = EnumSet.of(Action.TRANSPORT_INFO, Action.TRANSPORT_ACCEPT,
            Action.TRANSPORT_REPLACE);

    public Jingle {
        if (action == null || sid == null || sid.isEmpty()) {
            throw new IllegalArgumentException("jingle needs an action and a sid");
        }
        if (info != null && action != Action.SESSION_INFO) {
            throw new IllegalArgumentException("informational payload outside session-info");
        }
        contents = contents == null ? List.of() : List.copyOf(contents);
        extensions = Xml.copy(extensions);
    }

    public Jingle(Action action, String sid, Jid initiator, Jid responder, List<Content> contents, Reason reason,
            SessionInfo info) {
        this(action, sid, initiator, responder, contents, reason, info, List.of());
    }

    /** A session-initiate from {@code initiator}. */
    public static Jingle sessionInitiate(String sid, Jid initiator, List<Content> contents) {
        return new Jingle(Action.SESSION_INITIATE, sid, initiator, null, contents, null, null);
    }

    /** A session-accept from {@code responder}. */
    public static Jingle sessionAccept(String sid, Jid responder, List<Content> contents) {
        return new Jingle(Action.SESSION_ACCEPT, sid, null, responder, contents, null, null);
    }

    /** A session-terminate. */
    public static Jingle sessionTerminate(String sid, Reason reason) {
        return new Jingle(Action.SESSION_TERMINATE, sid, null, null, List.of(), reason, null);
    }

    /** A session-info carrying {@code info}, or a session ping when it is null. */
    public static Jingle sessionInfo(String sid, SessionInfo info) {
        return new Jingle(Action.SESSION_INFO, sid, null, null, List.of(), null, info);
    }

    /** A transport-info for the given contents (transports only). */
    public static Jingle transportInfo(String sid, List<Content> contents) {
        return new Jingle(Action.TRANSPORT_INFO, sid, null, null, contents, null, null);
    }

    /** The initiator: the {@code initiator} attribute, else {@code from} (the iq's sender). */
    public Jid initiatorOr(Jid from) {
        return initiator != null ? initiator : from;
    }

    /** The content named {@code name} created by {@code creator}, or null. */
    public Content content(String creator, String name) {
        for (Content c : contents) {
            if (c.creator().equals(creator) && c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    public XmlElement toXml() {
        XmlElement.Builder b = XmlElement.builder("jingle", JingleNamespaces.JINGLE).attr("action", action.wireName())
                .attr("initiator", initiator == null ? null : initiator.toString())
                .attr("responder", responder == null ? null : responder.toString())
                .attr("sid", sid);
        for (Content c : contents) {
            b.child(c.toXml());
        }
        if (reason != null) {
            b.child(reason.toXml());
        }
        if (info != null) {
            b.child(info.toXml());
        }
        Xml.addAll(b, extensions);
        return b.build();
    }

    /** An iq {@code set} carrying this element; {@code from} may be null (the server fills it in). */
    public Stanza toIq(Jid from, Jid to, String id) {
        Stanza.Builder b = Stanza.iq("set").to(to).id(id).child(toXml());
        if (from != null) {
            b.from(from.toString());
        }
        return b.build();
    }

    /** The {@code <jingle/>} payload of an iq set, parsed. */
    public static Jingle fromIq(Stanza iq) throws JingleException {
        XmlElement e = iq.extension("jingle", JingleNamespaces.JINGLE);
        if (e == null) {
            throw JingleException.badRequest("no <jingle/> element");
        }
        return parse(e);
    }

    /** Reads and validates a {@code <jingle/>} element. */
    public static Jingle parse(XmlElement e) throws JingleException {
        if (!e.is("jingle", JingleNamespaces.JINGLE)) {
            throw JingleException.badRequest("not a jingle element: {" + e.namespace() + "}" + e.name());
        }
        String actionName = Xml.required(e, "action");
        Action action = Action.of(actionName);
        if (action == null) {
            throw JingleException.badRequest("unknown jingle action: " + actionName);
        }
        String sid = Xml.required(e, "sid");
        Jid initiator = jid(e, "initiator");
        Jid responder = jid(e, "responder");
        List<Content> contents = new ArrayList<>();
        Reason reason = null;
        SessionInfo info = null;
        List<XmlElement> ext = Xml.newList();
        boolean payload = false;
        for (XmlElement c : e.elements()) {
            if (c.is("content", JingleNamespaces.JINGLE)) {
                contents.add(Content.parse(c));
            } else if (c.is("reason", JingleNamespaces.JINGLE) && reason == null) {
                reason = Reason.parse(c);
            } else if (action == Action.SESSION_INFO) {
                payload = true;
                if (info == null) {
                    info = SessionInfo.parseOrNull(c);
                }
            } else {
                ext.add(c);
            }
        }
        if (action == Action.SESSION_INFO && payload && info == null) {
            throw JingleException.unsupportedInfo();
        }
        if (NEED_CONTENT.contains(action) && contents.isEmpty()) {
            throw JingleException.badRequest(action.wireName() + " without a <content/>");
        }
        for (Content c : contents) {
            if (NEED_DEFINITION.contains(action)
                    && (c.description() == null && !c.hasForeignDescription()
                        || c.transport() == null && !c.hasForeignTransport())) {
                throw JingleException.badRequest(action.wireName() + " content '" + c.name()
                        + "' needs a description and a transport");
            }
            if (NEED_TRANSPORT.contains(action) && c.transport() == null && !c.hasForeignTransport()) {
                throw JingleException.badRequest(action.wireName() + " content '" + c.name() + "' needs a transport");
            }
            if (action == Action.CONTENT_MODIFY && c.senders() == null) {
                throw JingleException.badRequest("content-modify needs 'senders'");
            }
        }
        return new Jingle(action, sid, initiator, responder, contents, reason, info, ext);
    }

    private static Jid jid(XmlElement e, String attr) throws JingleException {
        String v = e.attr(attr);
        if (v == null) {
            return null;
        }
        try {
            return Jid.parse(v);
        } catch (IllegalArgumentException ex) {
            throw JingleException.badRequest("'" + attr + "' is not a JID: " + ex.getMessage());
        }
    }
}
