package org.openzoep.xmpp.sasl;

/**
 * The client side of one SASL authentication exchange (RFC 4422, RFC 6120 §6).
 *
 * <p>The session drives it: it sends {@link #initialResponse()} in {@code <auth/>}, answers every
 * {@code <challenge/>} with {@link #evaluateChallenge(byte[])} in {@code <response/>}, and on
 * {@code <success/>} calls {@link #verifySuccess(byte[])} before it trusts the stream. Only when
 * {@code verifySuccess} returns normally is the exchange complete; a mechanism that authenticates
 * the server (SCRAM) fails there when the server has not proved that it knows the password.
 *
 * <p>Bytes in and out are the decoded SASL payloads; base64 and the XMPP empty-payload marker
 * ({@code =}) are the session's business. Arrays passed in are borrowed and not kept; arrays
 * returned belong to the caller.
 *
 * <p>Threads: an instance serves one exchange and is not thread-safe; the session calls it from
 * one thread at a time. Instances are not reusable: create a new one for every attempt.
 */
public interface SaslMechanism {

    /** The IANA mechanism name sent in {@code <auth mechanism='...'/>}, e.g. {@code SCRAM-SHA-256}. */
    String name();

    /**
     * The client's first message, sent with {@code <auth/>}. Never {@code null}; an empty array
     * means an empty initial response.
     *
     * @throws SaslException when the credentials cannot be sent (for example a username that
     *     SASLprep prohibits)
     * @throws IllegalStateException when called twice
     */
    byte[] initialResponse() throws SaslException;

    /**
     * Answers a server challenge.
     *
     * @param challenge the decoded challenge; {@code null} is treated as empty; borrowed
     * @return the response to send, never {@code null} (possibly empty)
     * @throws SaslException when the challenge is malformed, carries a server error, or fails a
     *     security check (nonce, iteration count, server signature)
     * @throws IllegalStateException when called before {@link #initialResponse()} or after the
     *     exchange ended
     */
    byte[] evaluateChallenge(byte[] challenge) throws SaslException;

    /**
     * Answers a challenge whose answer may cost CPU (SCRAM's key derivation): the checks run now,
     * the work in {@link Answer#advance} slices the caller schedules. The default answers at once
     * through {@link #evaluateChallenge(byte[])}.
     *
     * @param challenge the decoded challenge; borrowed
     * @throws SaslException as {@link #evaluateChallenge(byte[])}
     */
    default Answer answer(byte[] challenge) throws SaslException {
        byte[] response = evaluateChallenge(challenge);
        return new Answer() {
            @Override
            public boolean advance(int maxIterations) {
                return true;
            }

            @Override
            public byte[] response() {
                return response;
            }

            @Override
            public void cancel() {
            }
        };
    }

    /**
     * A response being computed. Not thread-safe: hand it between threads only with a
     * happens-before edge (an executor hand-off).
     */
    interface Answer {
        /**
         * Does up to {@code maxIterations} units of work (SCRAM: PBKDF2 iterations).
         *
         * @return true when the response is ready
         */
        boolean advance(int maxIterations);

        /**
         * The response to send, once {@link #advance} returned true; returned array belongs to the caller.
         *
         * @throws IllegalStateException before then
         */
        byte[] response();

        /** Gives up: key material is wiped and the exchange fails. */
        void cancel();
    }

    /**
     * Checks the server's {@code <success/>}.
     *
     * @param additionalData the decoded additional data of {@code <success/>}; {@code null} or
     *     empty when there was none; borrowed
     * @throws SaslException when the server did not authenticate itself (SCRAM: no or a wrong
     *     {@code v=} server signature, condition
     *     {@link SaslException.Condition#SERVER_SIGNATURE_MISMATCH}) or reported an error
     */
    void verifySuccess(byte[] additionalData) throws SaslException;
}
