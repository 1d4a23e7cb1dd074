package org.openzoep.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd} in UTF-8, sent once as the initial
 * response. It sends the password itself, so {@link SaslMechanisms#select} picks it only on an
 * encrypted stream and never when the server offers a SCRAM mechanism.
 *
 * <p>Strings are sent as given (RFC 4616 leaves SASLprep to the server); NUL in any of them is
 * refused because it would shift the fields. PLAIN has no challenges: any challenge is an error.
 * Additional data in {@code <success/>} has no meaning for PLAIN and is ignored.
 *
 * <p>Threads: one instance per exchange, used from one thread at a time; not reusable.
 */
public final class PlainMechanism implements SaslMechanism {

    /** The mechanism name. */
    public static final String NAME = "PLAIN";

    private final String authzid;
    private final String authcid;
    private final String password;
    private boolean sent;

    /** PLAIN without an authorization identity (the server derives it from {@code authcid}). */
    public PlainMechanism(String authcid, String password) {
        this("", authcid, password);
    }

    /**
     * PLAIN with an authorization identity.
     *
     * @param authzid the identity to act as (a bare JID), or {@code ""} for none
     */
    public PlainMechanism(String authzid, String authcid, String password) {
        this.authzid = Objects.requireNonNull(authzid, "authzid");
        this.authcid = Objects.requireNonNull(authcid, "authcid");
        this.password = Objects.requireNonNull(password, "password");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] initialResponse() throws SaslException {
        if (sent) {
            throw new IllegalStateException("PLAIN: initialResponse() called twice");
        }
        sent = true;
        if (authcid.isEmpty()) {
            throw new SaslException(SaslException.Condition.ILLEGAL_CREDENTIALS, "PLAIN: authcid is empty");
        }
        if (authzid.indexOf('\0') >= 0 || authcid.indexOf('\0') >= 0 || password.indexOf('\0') >= 0) {
            throw new SaslException(SaslException.Condition.ILLEGAL_CREDENTIALS,
                    "PLAIN: authzid, authcid and password must not contain NUL");
        }
        return (authzid + '\0' + authcid + '\0' + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
        if (!sent) {
            throw new IllegalStateException("PLAIN: challenge before initialResponse()");
        }
        throw new SaslException(SaslException.Condition.MALFORMED_CHALLENGE,
                "PLAIN: the server sent a challenge, but PLAIN has none");
    }

    @Override
    public void verifySuccess(byte[] additionalData) throws SaslException {
        if (!sent) {
            throw new SaslException(SaslException.Condition.MALFORMED_CHALLENGE,
                    "PLAIN: the server reported success before the client authenticated");
        }
    }
}
