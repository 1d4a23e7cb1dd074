package org.openzoep.xmpp.session;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.openzoep.xmpp.sasl.SaslException;
import org.openzoep.xmpp.sasl.SaslMechanism;
import org.openzoep.xmpp.sasl.SaslMechanisms;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * One SASL exchange in XMPP's clothes (RFC 6120 §6.4): picks the mechanism from the offered
 * features and the configured preference, and moves between {@link SaslMechanism}'s bytes and the
 * base64 text of {@code <auth/>}, {@code <challenge/>}, {@code <response/>}, {@code <success/>}
 * (with {@code =} for an empty payload, §6.4.2). Not a pipeline stage: {@link StreamNegotiator}
 * drives it. Failures come out as {@link XmppException.Kind#AUTH_FAILED} with the condition.
 *
 * <p>Thread: one thread at a time; {@link #respond} may run on the compute executor while the
 * event loop waits. Buffers: none.
 */
final class SaslExchange {
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";

    /** What a server's SASL element says, with its element name written once. */
    enum Step {
        CHALLENGE("challenge"),
        SUCCESS("success"),
        FAILURE("failure"),
        /** Anything else: not part of the exchange. */
        OTHER(null);

        private final String element;

        Step(String element) {
            this.element = element;
        }
    }

    private final String name;
    private final SaslMechanism mechanism;
    private final List<String> offered;

    private SaslExchange(String name, SaslMechanism mechanism, List<String> offered) {
        this.name = name;
        this.mechanism = mechanism;
        this.offered = offered;
    }

    /** Picks a mechanism from {@code features}' {@code <mechanisms/>}; fails if none fits. */
    static SaslExchange start(XmlElement features, boolean encrypted, XmppSessionConfig config) throws XmppException {
        XmlElement mechs = features.child("mechanisms", SASL_NS);
        List<String> offered = new ArrayList<>();
        if (mechs != null) {
            for (XmlElement m : mechs.elements()) {
                if (m.is("mechanism", SASL_NS)) {
                    offered.add(m.text().trim());
                }
            }
        }
        try {
            String name = SaslMechanisms.select(offered, encrypted, config.saslPreference());
            return new SaslExchange(name, SaslMechanisms.create(name, config.jid().local(), config.password()), offered);
        } catch (SaslException ex) {
            throw authFailed(ex, " (offered: " + offered + ")");
        }
    }

    /** The {@code <auth/>} element with the initial response. */
    XmlElement auth() throws XmppException {
        byte[] initial;
        try {
            initial = mechanism.initialResponse();
        } catch (SaslException ex) {
            throw authFailed(ex, " (offered: " + offered + ")");
        }
        return XmlElement.builder("auth", SASL_NS).attr("mechanism", name)
                .text(initial == null ? "" : initial.length == 0 ? "=" : Base64.getEncoder().encodeToString(initial))
                .build();
    }

    /** Which step of the exchange {@code e} is. */
    static Step step(XmlElement e) {
        if (e.namespace().equals(SASL_NS)) {
            for (Step s : Step.values()) {
                if (e.name().equals(s.element)) {
                    return s;
                }
            }
        }
        return Step.OTHER;
    }

    /** The decoded payload of a {@code <challenge/>}. */
    static byte[] challenge(XmlElement challenge) throws XmppException {
        byte[] data = decode(challenge.text());
        if (data == null) {
            throw XmppException.auth("malformed-challenge", "challenge is not base64");
        }
        return data;
    }

    /** The {@code <response/>} to a decoded challenge: CPU work for SCRAM, so off the event loop. */
    XmlElement respond(byte[] challenge) throws XmppException {
        byte[] response;
        try {
            response = mechanism.evaluateChallenge(challenge);
        } catch (SaslException ex) {
            throw authFailed(ex, "");
        }
        return XmlElement.builder("response", SASL_NS)
                .text(response == null || response.length == 0 ? "" : Base64.getEncoder().encodeToString(response))
                .build();
    }

    /** Checks {@code <success/>}; throws if the server did not prove itself (SCRAM). */
    void verifySuccess(XmlElement success) throws XmppException {
        byte[] data = decode(success.text());
        try {
            mechanism.verifySuccess(data == null ? new byte[0] : data);
        } catch (SaslException ex) {
            throw authFailed(ex, "");
        }
    }

    /** The failure a {@code <failure/>} reports (RFC 6120 §6.5), {@code not-authorized} when it names none. */
    static XmppException failure(XmlElement failure) {
        String condition = "not-authorized";
        String text = null;
        for (XmlElement c : failure.elements()) {
            if (c.name().equals("text")) {
                text = c.text();
            } else {
                condition = c.name();
            }
        }
        return XmppException.auth(condition, text);
    }

    private static XmppException authFailed(SaslException ex, String suffix) {
        return XmppException.auth(ex.condition().wireName(), ex.getMessage() + suffix);
    }

    private static byte[] decode(String b64) {
        String t = b64.trim();
        if (t.isEmpty() || t.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }
}
