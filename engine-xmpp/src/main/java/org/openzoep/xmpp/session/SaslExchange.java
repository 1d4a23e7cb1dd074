package org.openzoep.xmpp.session;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.openzoep.xmpp.sasl.SaslException;
import org.openzoep.xmpp.sasl.SaslMechanism;
import org.openzoep.xmpp.sasl.SaslMechanisms;
import org.openzoep.xmpp.tls.ChannelBindings;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * One SASL exchange in XMPP's clothes (RFC 6120 §6.4): picks the mechanism from the offered
 * features and the configured preference, and moves between {@link SaslMechanism}'s bytes and the
 * base64 text of {@code <auth/>}, {@code <challenge/>}, {@code <response/>}, {@code <success/>}
 * (with {@code =} for an empty payload, §6.4.2). The offer includes XEP-0440's
 * {@code <sasl-channel-binding/>} and the TLS connection's {@link ChannelBindings} (SCRAM
 * {@code -PLUS}). Not a pipeline stage: {@link StreamNegotiator}
 * drives it. Failures come out as {@link XmppException.Kind#AUTH_FAILED} with the condition.
 *
 * <p>Thread: one thread at a time; {@link #respond} may run on the compute executor while the
 * event loop waits. Buffers: none.
 */
final class SaslExchange {
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    /** XEP-0440: the server's channel-binding types. */
    static final String SASL_CB_NS = "urn:xmpp:sasl-cb:0";

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

    /** {@link #start(XmlElement, boolean, ChannelBindings, XmppSessionConfig)} without channel binding. */
    static SaslExchange start(XmlElement features, boolean encrypted, XmppSessionConfig config) throws XmppException {
        return start(features, encrypted, ChannelBindings.NONE, config);
    }

    /**
     * Picks a mechanism and channel binding from {@code features}' {@code <mechanisms/>} and
     * XEP-0440 {@code <sasl-channel-binding/>}, the TLS connection's {@code bindings} and the
     * configuration; fails if none fits.
     */
    static SaslExchange start(XmlElement features, boolean encrypted, ChannelBindings bindings,
            XmppSessionConfig config) throws XmppException {
        XmlElement mechs = features.child("mechanisms", SASL_NS);
        List<String> offered = new ArrayList<>();
        if (mechs != null) {
            for (XmlElement m : mechs.elements()) {
                if (m.is("mechanism", SASL_NS)) {
                    offered.add(m.text().trim());
                }
            }
        }
        XmlElement cb = features.child("sasl-channel-binding", SASL_CB_NS);
        List<String> types = null;
        if (cb != null) {
            types = new ArrayList<>();
            for (XmlElement t : cb.elements()) {
                if (t.is("channel-binding", SASL_CB_NS) && t.attr("type") != null) {
                    types.add(t.attr("type"));
                }
            }
        }
        SaslMechanisms.ChannelBindingData data = new SaslMechanisms.ChannelBindingData() {
            @Override
            public List<String> types() {
                return bindings.types();
            }

            @Override
            public byte[] data(String type) {
                return bindings.data(type);
            }
        };
        SaslMechanisms.Policy policy = new SaslMechanisms.Policy(config.saslPreference(), config.plainAllowed(),
                config.channelBindingRequired(), config.maxScramIterations());
        String described = " (offered: " + offered + (types == null ? "" : ", channel bindings " + types) + ")";
        try {
            SaslMechanism m = SaslMechanisms.negotiate(offered, types, encrypted, data, policy,
                    config.jid().local(), config.password());
            return new SaslExchange(m.name(), m, offered);
        } catch (SaslException ex) {
            throw authFailed(ex, described);
        }
    }

    /** The mechanism's name, e.g. {@code SCRAM-SHA-256-PLUS}. */
    String mechanism() {
        return name;
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
        SaslMechanism.Answer answer = answer(challenge);
        answer.advance(Integer.MAX_VALUE);
        return response(answer);
    }

    /**
     * Checks a decoded challenge (cheap) and returns the work of answering it, which the caller
     * runs in {@link SaslMechanism.Answer#advance} slices off the event loop.
     */
    SaslMechanism.Answer answer(byte[] challenge) throws XmppException {
        try {
            return mechanism.answer(challenge);
        } catch (SaslException ex) {
            throw authFailed(ex, "");
        }
    }

    /** The {@code <response/>} for a finished {@code answer}. */
    static XmlElement response(SaslMechanism.Answer answer) {
        byte[] response = answer.response();
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
