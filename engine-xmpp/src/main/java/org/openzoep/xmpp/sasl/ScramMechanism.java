package org.openzoep.xmpp.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-1 client (RFC 5802, RFC 7677) without channel binding.
 *
 * <p>The GS2 header is always {@code n,,} (no channel binding, no authzid), so this client never
 * selects a {@code -PLUS} variant. The username and the password go through SASLprep (RFC 4013,
 * see {@code SaslPrep}); {@code =} and {@code ,} in the username are sent as {@code =3D} and
 * {@code =2C}. The client nonce is 24 bytes from {@link SecureRandom}, base64-encoded.
 *
 * <p>Checks on the server: its nonce must start with the client nonce and add at least one
 * character; the iteration count must lie in [{@link #MIN_ITERATIONS}, {@link #MAX_ITERATIONS}]
 * (the floor is RFC 7677's minimum, the ceiling keeps a hostile server from making the client
 * burn CPU); mandatory extensions ({@code m=}) are refused; the server signature {@code v=} is
 * compared in constant time, and {@link #verifySuccess(byte[])} fails unless a correct one
 * arrived, either as a final challenge or in {@code <success/>}. An {@code e=} server error
 * becomes a {@link SaslException}: {@code invalid-proof} and {@code unknown-user} map to
 * {@link SaslException.Condition#NOT_AUTHORIZED}, anything else to
 * {@link SaslException.Condition#SERVER_ERROR}.
 *
 * <p>Hi() is PBKDF2 with one output block, computed here with an HMAC loop over the UTF-8 bytes
 * of the prepared password. It costs one HMAC per iteration (about a millisecond per 4096 SHA-256
 * iterations): the session runs it off the event loop.
 *
 * <p>Threads: one instance per exchange, used from one thread at a time; not reusable. Key
 * material derived from the password is zeroed once the client proof and expected server
 * signature are computed.
 */
public final class ScramMechanism implements SaslMechanism {

    /** The lowest iteration count accepted: RFC 7677 §4 requires at least 4096. */
    public static final int MIN_ITERATIONS = 4096;

    /** The highest iteration count accepted (about a second of CPU on a slow core). */
    public static final int MAX_ITERATIONS = 1_000_000;

    private static final int NONCE_BYTES = 24;
    private static final String GS2_HEADER = "n,,";
    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    /** The SCRAM hash functions supported. */
    public enum Hash {
        /** SCRAM-SHA-1 (RFC 5802). */
        SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1"),
        /** SCRAM-SHA-256 (RFC 7677). */
        SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256");

        private final String mechanismName;
        private final String digest;
        private final String hmac;

        Hash(String mechanismName, String digest, String hmac) {
            this.mechanismName = mechanismName;
            this.digest = digest;
            this.hmac = hmac;
        }

        /** The SASL mechanism name, e.g. {@code SCRAM-SHA-256}. */
        public String mechanismName() {
            return mechanismName;
        }
    }

    private enum State { INITIAL, SENT_CLIENT_FIRST, SENT_CLIENT_FINAL, VERIFIED, FAILED }

    private final Hash hash;
    private final String username;
    private final String password;
    private final String clientNonce;
    private State state = State.INITIAL;
    private String clientFirstBare;
    private byte[] passwordBytes;
    private byte[] expectedServerSignature;

    /** SCRAM-SHA-256 for {@code username} (the authcid, the JID's localpart) and {@code password}. */
    public static ScramMechanism sha256(String username, String password) {
        return new ScramMechanism(Hash.SHA_256, username, password);
    }

    /** SCRAM-SHA-1 for {@code username} (the authcid, the JID's localpart) and {@code password}. */
    public static ScramMechanism sha1(String username, String password) {
        return new ScramMechanism(Hash.SHA_1, username, password);
    }

    /** A SCRAM client with a fresh random nonce. */
    public ScramMechanism(Hash hash, String username, String password) {
        this(hash, username, password, randomNonce());
    }

    /** Test seam: a fixed client nonce (for the RFC test vectors). */
    ScramMechanism(Hash hash, String username, String password, String clientNonce) {
        this.hash = Objects.requireNonNull(hash, "hash");
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.clientNonce = Objects.requireNonNull(clientNonce, "clientNonce");
    }

    private static String randomNonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String name() {
        return hash.mechanismName;
    }

    /** The hash function of this mechanism. */
    public Hash hash() {
        return hash;
    }

    @Override
    public byte[] initialResponse() throws SaslException {
        requireState(State.INITIAL, "initialResponse()");
        String prepared;
        try {
            // Both are prepared now so that nothing is sent for credentials that cannot work.
            prepared = SaslPrep.prepare(username, "username");
            if (prepared.isEmpty()) {
                throw new SaslException(SaslException.Condition.ILLEGAL_CREDENTIALS,
                        "username is empty after SASLprep");
            }
            passwordBytes = SaslPrep.prepare(password, "password").getBytes(StandardCharsets.UTF_8);
        } catch (SaslException e) {
            state = State.FAILED;
            throw e;
        }
        clientFirstBare = "n=" + escapeUsername(prepared) + ",r=" + clientNonce;
        state = State.SENT_CLIENT_FIRST;
        return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
        try {
            switch (state) {
                case SENT_CLIENT_FIRST:
                    return clientFinal(decode(challenge, "server-first-message"));
                case SENT_CLIENT_FINAL:
                    // Some servers send server-final-message as a challenge and an empty <success/>.
                    checkServerFinal(decode(challenge, "server-final-message"));
                    state = State.VERIFIED;
                    return new byte[0];
                case VERIFIED:
                    // The server's doing, not ours: a typed failure, not a programming error.
                    throw malformed("challenge after the server-final-message");
                default:
                    throw new IllegalStateException("SCRAM: unexpected challenge in state " + state);
            }
        } catch (SaslException e) {
            fail();
            throw e;
        }
    }

    @Override
    public void verifySuccess(byte[] additionalData) throws SaslException {
        try {
            boolean empty = additionalData == null || additionalData.length == 0;
            switch (state) {
                case VERIFIED:
                    if (!empty) {
                        // Verified already; a second server-final must agree with the first.
                        checkServerFinal(decode(additionalData, "server-final-message"));
                    }
                    return;
                case SENT_CLIENT_FINAL:
                    if (empty) {
                        throw new SaslException(SaslException.Condition.SERVER_SIGNATURE_MISMATCH,
                                "the server reported success without a server signature (v=)");
                    }
                    checkServerFinal(decode(additionalData, "server-final-message"));
                    state = State.VERIFIED;
                    return;
                case INITIAL:
                case SENT_CLIENT_FIRST:
                    throw new SaslException(SaslException.Condition.SERVER_SIGNATURE_MISMATCH,
                            "the server reported success before the SCRAM exchange completed");
                default:
                    throw new IllegalStateException("SCRAM: verifySuccess() in state " + state);
            }
        } catch (SaslException e) {
            fail();
            throw e;
        }
    }

    private byte[] clientFinal(String serverFirst) throws SaslException {
        if (serverFirst.startsWith("e=")) {
            throw serverError(serverFirst.substring(2));
        }
        if (serverFirst.startsWith("m=")) {
            throw malformed("server-first-message carries a mandatory extension (m=), which this client does not support");
        }
        String[] parts = serverFirst.split(",", -1);
        if (parts.length < 3) {
            throw malformed("server-first-message must be r=...,s=...,i=..., got " + parts.length + " attribute(s)");
        }
        String nonce = attribute(parts[0], 'r', "server-first-message");
        String saltB64 = attribute(parts[1], 's', "server-first-message");
        String iterText = attribute(parts[2], 'i', "server-first-message");

        if (!isPrintable(nonce)) {
            throw malformed("server nonce contains characters outside %x21-2B / %x2D-7E");
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new SaslException(SaslException.Condition.NONCE_MISMATCH,
                    "the server nonce does not start with the client nonce followed by the server's part");
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(saltB64);
        } catch (IllegalArgumentException e) {
            throw malformed("salt (s=) is not valid base64");
        }
        if (salt.length == 0) {
            throw malformed("salt (s=) is empty");
        }
        int iterations = parseIterations(iterText);

        String clientFinalWithoutProof = "c=" + Base64.getEncoder().encodeToString(
                GS2_HEADER.getBytes(StandardCharsets.US_ASCII)) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof)
                .getBytes(StandardCharsets.UTF_8);

        byte[] saltedPassword = null;
        byte[] clientKey = null;
        byte[] serverKey = null;
        try {
            saltedPassword = hi(passwordBytes, salt, iterations);
            clientKey = hmac(saltedPassword, CLIENT_KEY);
            byte[] storedKey = MessageDigest.getInstance(hash.digest).digest(clientKey);
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] proof = clientKey.clone();
            for (int i = 0; i < proof.length; i++) {
                proof[i] ^= clientSignature[i];
            }
            serverKey = hmac(saltedPassword, SERVER_KEY);
            expectedServerSignature = hmac(serverKey, authMessage);
            state = State.SENT_CLIENT_FINAL;
            return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + hash.hmac + "/" + hash.digest, e);
        } finally {
            clearPassword();
            if (saltedPassword != null) {
                Arrays.fill(saltedPassword, (byte) 0);
            }
            if (clientKey != null) {
                Arrays.fill(clientKey, (byte) 0);
            }
            if (serverKey != null) {
                Arrays.fill(serverKey, (byte) 0);
            }
        }
    }

    private int parseIterations(String text) throws SaslException {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("iteration count (i=) is not a positive decimal number");
        }
        long iterations = Long.parseLong(text);
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new SaslException(SaslException.Condition.ITERATION_COUNT_OUT_OF_RANGE,
                    "iteration count " + iterations + " is outside [" + MIN_ITERATIONS + ", "
                            + MAX_ITERATIONS + "]");
        }
        return (int) iterations;
    }

    private void checkServerFinal(String serverFinal) throws SaslException {
        if (serverFinal.startsWith("e=")) {
            int comma = serverFinal.indexOf(',');
            throw serverError(serverFinal.substring(2, comma < 0 ? serverFinal.length() : comma));
        }
        if (!serverFinal.startsWith("v=")) {
            throw new SaslException(SaslException.Condition.SERVER_SIGNATURE_MISMATCH,
                    "server-final-message has no server signature (v=)");
        }
        int comma = serverFinal.indexOf(',');
        String b64 = serverFinal.substring(2, comma < 0 ? serverFinal.length() : comma);
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw malformed("server signature (v=) is not valid base64");
        }
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new SaslException(SaslException.Condition.SERVER_SIGNATURE_MISMATCH,
                    "the server signature (v=) is wrong: the server does not know the password");
        }
    }

    private byte[] hi(byte[] passwordBytes, byte[] salt, int iterations) throws GeneralSecurityException {
        Mac mac = mac(passwordBytes);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            mac.update(u);
            mac.doFinal(u, 0);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        Arrays.fill(u, (byte) 0);
        return result;
    }

    private byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        return mac(key).doFinal(data);
    }

    private Mac mac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hash.hmac);
        // SecretKeySpec refuses an empty key; HMAC pads short keys with zeros, so a single zero
        // byte is the same key as an empty one (RFC 2104 §2).
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, hash.hmac));
        return mac;
    }

    private static String attribute(String part, char name, String message) throws SaslException {
        if (part.length() < 2 || part.charAt(0) != name || part.charAt(1) != '=') {
            throw malformed(message + ": expected attribute " + name + "=..., got "
                    + (part.length() >= 2 && part.charAt(1) == '=' ? part.charAt(0) + "=" : "'" + abbreviate(part) + "'"));
        }
        String value = part.substring(2);
        if (value.isEmpty()) {
            throw malformed(message + ": attribute " + name + "= is empty");
        }
        return value;
    }

    private static boolean isPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    private static String decode(byte[] bytes, String what) throws SaslException {
        if (bytes == null || bytes.length == 0) {
            throw malformed(what + " is empty");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not valid UTF-8");
        }
    }

    /** RFC 5802 §5.1: {@code =} becomes {@code =3D} and {@code ,} becomes {@code =2C}. */
    static String escapeUsername(String prepared) {
        StringBuilder sb = new StringBuilder(prepared.length() + 8);
        for (int i = 0; i < prepared.length(); i++) {
            char c = prepared.charAt(i);
            if (c == '=') {
                sb.append("=3D");
            } else if (c == ',') {
                sb.append("=2C");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static SaslException serverError(String value) {
        if (value.equals("invalid-proof") || value.equals("unknown-user")) {
            return new SaslException(SaslException.Condition.NOT_AUTHORIZED,
                    "the SCRAM server refused the credentials (e=" + value + ")");
        }
        return new SaslException(SaslException.Condition.SERVER_ERROR,
                "the SCRAM server reported an error (e=" + abbreviate(value) + ")");
    }

    private static SaslException malformed(String message) {
        return new SaslException(SaslException.Condition.MALFORMED_CHALLENGE, "SCRAM: " + message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private void clearPassword() {
        if (passwordBytes != null) {
            Arrays.fill(passwordBytes, (byte) 0);
            passwordBytes = null;
        }
    }

    private void requireState(State expected, String call) {
        if (state != expected) {
            throw new IllegalStateException("SCRAM: " + call + " in state " + state);
        }
    }

    private void fail() {
        state = State.FAILED;
        clearPassword();
        if (expectedServerSignature != null) {
            Arrays.fill(expectedServerSignature, (byte) 0);
        }
    }
}
