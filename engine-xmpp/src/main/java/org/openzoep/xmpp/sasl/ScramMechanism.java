package org.openzoep.xmpp.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM client (RFC 5802) with SHA-1, SHA-256 (RFC 7677) or SHA-512, with or without channel
 * binding ({@code -PLUS}).
 *
 * <p>The GS2 header is {@code p=TYPE,,} for a {@code -PLUS} mechanism (the channel-binding data of
 * that type then follows the header in {@code c=}), {@code y,,} when the client can bind but the
 * server offered no {@code -PLUS} mechanism (RFC 5802 §6: a server that does support binding then
 * refuses, which defeats the stripping of {@code -PLUS} names), and {@code n,,} otherwise. No
 * authzid is sent. The username and the password go through SASLprep (RFC 4013, see
 * {@code SaslPrep}); {@code =} and {@code ,} in the username are sent as {@code =3D} and
 * {@code =2C}. The client nonce is 24 bytes from {@link SecureRandom}, base64-encoded.
 *
 * <p>Checks on the server: its nonce must start with the client nonce and add at least one
 * character; the iteration count must lie in [{@link #MIN_ITERATIONS}, the configured maximum]
 * (default {@link #MAX_ITERATIONS}; the ceiling keeps a hostile server from making the client
 * burn CPU); mandatory extensions ({@code m=}) are refused; a XEP-0474 downgrade-protection hash
 * ({@code h=}) is compared with the hash of the mechanisms and channel-binding types this client
 * was offered, and a mismatch fails with {@link SaslException.Condition#DOWNGRADE_DETECTED}; the
 * server signature {@code v=} is compared in constant time, and {@link #verifySuccess(byte[])}
 * fails unless a correct one arrived, either as a final challenge or in {@code <success/>}. An
 * {@code e=} server error becomes a {@link SaslException}: {@code invalid-proof} and
 * {@code unknown-user} map to {@link SaslException.Condition#NOT_AUTHORIZED}, anything else to
 * {@link SaslException.Condition#SERVER_ERROR}.
 *
 * <p>Hi() is PBKDF2 with one output block, computed here with an HMAC loop over the UTF-8 bytes
 * of the prepared password. It costs one HMAC per iteration (about a millisecond per 4096 SHA-256
 * iterations). {@link #answer(byte[])} returns it as an {@link Answer} that the session computes
 * in slices off the event loop, so that one account's large count never holds a shared thread
 * for long; {@link #evaluateChallenge(byte[])} computes it in one go.
 *
 * <p>Threads: one instance per exchange, used from one thread at a time (an {@link Answer} may
 * move between threads with a happens-before edge, e.g. an executor hand-off); not reusable. Key
 * material derived from the password is zeroed once the client proof and expected server
 * signature are computed.
 */
public final class ScramMechanism implements SaslMechanism {

    /** The lowest iteration count accepted: RFC 7677 §4 requires at least 4096. */
    public static final int MIN_ITERATIONS = 4096;

    /** The default highest iteration count accepted (about a second of CPU on a slow core). */
    public static final int MAX_ITERATIONS = 1_000_000;

    /** XEP-0474: between items of one list. */
    private static final char SSDP_ITEM = 0x1E;
    /** XEP-0474: between the mechanism list and the channel-binding types. */
    private static final char SSDP_LIST = 0x1F;

    private static final int NONCE_BYTES = 24;
    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    /** The SCRAM hash functions supported. */
    public enum Hash {
        /** SCRAM-SHA-1 (RFC 5802). */
        SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1"),
        /** SCRAM-SHA-256 (RFC 7677). */
        SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256"),
        /** SCRAM-SHA-512 (registered with IANA; RFC 5802 with SHA-512). */
        SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512");

        private final String mechanismName;
        private final String digest;
        private final String hmac;

        Hash(String mechanismName, String digest, String hmac) {
            this.mechanismName = mechanismName;
            this.digest = digest;
            this.hmac = hmac;
        }

        /** The SASL mechanism name without {@code -PLUS}, e.g. {@code SCRAM-SHA-256}. */
        public String mechanismName() {
            return mechanismName;
        }

        /** The hash of a mechanism name with or without {@code -PLUS}, or null. */
        public static Hash of(String mechanism) {
            String base = mechanism.endsWith("-PLUS") ? mechanism.substring(0, mechanism.length() - 5) : mechanism;
            for (Hash h : values()) {
                if (h.mechanismName.equals(base)) {
                    return h;
                }
            }
            return null;
        }
    }

    /**
     * The GS2 channel-binding flag and, for {@code p}, the binding (RFC 5802 §5.1, §6).
     *
     * @param flag {@code 'n'}, {@code 'y'} or {@code 'p'}
     * @param type the channel-binding type for {@code p} (e.g. {@code tls-exporter}), else null
     * @param data the channel-binding data for {@code p}; copied
     */
    public record Binding(char flag, String type, byte[] data) {
        /** The client does not bind. */
        public static final Binding NONE = new Binding('n', null, null);
        /** The client could bind but believes the server cannot. */
        public static final Binding CLIENT_ONLY = new Binding('y', null, null);

        public Binding {
            if (flag == 'p') {
                Objects.requireNonNull(type, "type");
                data = Objects.requireNonNull(data, "data").clone();
            } else if (flag != 'n' && flag != 'y' || type != null || data != null) {
                throw new IllegalArgumentException("GS2 flag " + flag + " with type " + type);
            }
        }

        /** {@code p} with {@code type} and its data. */
        public static Binding of(String type, byte[] data) {
            return new Binding('p', type, data);
        }

        String gs2Header() {
            return flag == 'p' ? "p=" + type + ",," : flag + ",,";
        }
    }

    /**
     * What the server advertised, for the XEP-0474 hash (SSDP).
     *
     * @param mechanisms the names in {@code <mechanisms/>}, as received
     * @param channelBindingTypes the XEP-0440 types, or null when the server sent no
     *     {@code <sasl-channel-binding/>}
     * @param hashRequired fail unless the server sends a matching hash (when the offer looks
     *     tampered with and only the hash can show it is genuine)
     */
    public record Advertised(List<String> mechanisms, List<String> channelBindingTypes, boolean hashRequired) {
        public Advertised {
            mechanisms = List.copyOf(mechanisms);
            channelBindingTypes = channelBindingTypes == null ? null : List.copyOf(channelBindingTypes);
        }

        /** The XEP-0474 string S: sorted mechanisms, and (if any were advertised) sorted types. */
        String ssdpInput() {
            List<String> m = new ArrayList<>(mechanisms);
            m.sort(null); // i;octet: the names are ASCII, where UTF-16 order is octet order
            StringBuilder sb = new StringBuilder(String.join(String.valueOf(SSDP_ITEM), m));
            if (channelBindingTypes != null) {
                List<String> t = new ArrayList<>(channelBindingTypes);
                t.sort(null);
                sb.append(SSDP_LIST).append(String.join(String.valueOf(SSDP_ITEM), t));
            }
            return sb.toString();
        }
    }

    /**
     * The client-final-message still to compute: the key derivation in slices. Not thread-safe;
     * hand it between threads only with a happens-before edge.
     */
    public final class Derivation implements SaslMechanism.Answer {
        private final String clientFinalWithoutProof;
        private final byte[] authMessage;
        private final int iterations;
        private Mac mac;
        private byte[] u;
        private byte[] result;
        private int done;

        private Derivation(byte[] salt, int iterations, String clientFinalWithoutProof, byte[] authMessage) {
            this.iterations = iterations;
            this.clientFinalWithoutProof = clientFinalWithoutProof;
            this.authMessage = authMessage;
            try {
                mac = mac(passwordBytes);
                mac.update(salt);
                mac.update(new byte[] {0, 0, 0, 1});
                u = mac.doFinal();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks " + hash.hmac, e);
            } finally {
                clearPassword();
            }
            result = u.clone();
            done = 1;
        }

        @Override
        public boolean advance(int maxIterations) {
            if (result == null) {
                throw new IllegalStateException("SCRAM: derivation cancelled");
            }
            int end = (int) Math.min(iterations, (long) done + Math.max(1, maxIterations));
            try {
                for (; done < end; done++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < result.length; j++) {
                        result[j] ^= u[j];
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC failed", e);
            }
            return done >= iterations;
        }

        /** Iterations still to compute. */
        public int remaining() {
            return iterations - done;
        }

        @Override
        public byte[] response() {
            if (done < iterations || result == null) {
                throw new IllegalStateException("SCRAM: derivation not finished");
            }
            byte[] saltedPassword = result;
            byte[] clientKey = null;
            byte[] serverKey = null;
            try {
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
                wipe();
                if (clientKey != null) {
                    Arrays.fill(clientKey, (byte) 0);
                }
                if (serverKey != null) {
                    Arrays.fill(serverKey, (byte) 0);
                }
            }
        }

        @Override
        public void cancel() {
            wipe();
            fail();
        }

        private void wipe() {
            if (result != null) {
                Arrays.fill(result, (byte) 0);
                Arrays.fill(u, (byte) 0);
                result = null;
                mac = null;
            }
        }
    }

    private enum State { INITIAL, SENT_CLIENT_FIRST, SENT_CLIENT_FINAL, VERIFIED, FAILED }

    private final Hash hash;
    private final String username;
    private final String password;
    private final String clientNonce;
    private final Binding binding;
    private final int maxIterations;
    private final Advertised advertised;
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

    /** SCRAM-SHA-512 for {@code username} (the authcid, the JID's localpart) and {@code password}. */
    public static ScramMechanism sha512(String username, String password) {
        return new ScramMechanism(Hash.SHA_512, username, password);
    }

    /** A SCRAM client with a fresh random nonce, without channel binding. */
    public ScramMechanism(Hash hash, String username, String password) {
        this(hash, username, password, randomNonce());
    }

    /**
     * A SCRAM client with a fresh random nonce.
     *
     * @param binding the GS2 flag and, for {@code -PLUS}, the channel binding
     * @param maxIterations the highest iteration count accepted (at least {@link #MIN_ITERATIONS})
     * @param advertised what the server advertised, for XEP-0474; null to skip the check
     */
    public ScramMechanism(Hash hash, String username, String password, Binding binding, int maxIterations,
            Advertised advertised) {
        this(hash, username, password, randomNonce(), binding, maxIterations, advertised);
    }

    /** Test seam: a fixed client nonce (for the RFC test vectors). */
    ScramMechanism(Hash hash, String username, String password, String clientNonce) {
        this(hash, username, password, clientNonce, Binding.NONE, MAX_ITERATIONS, null);
    }

    /** Test seam: a fixed client nonce (for the test vectors). */
    ScramMechanism(Hash hash, String username, String password, String clientNonce, Binding binding,
            int maxIterations, Advertised advertised) {
        this.hash = Objects.requireNonNull(hash, "hash");
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.clientNonce = Objects.requireNonNull(clientNonce, "clientNonce");
        this.binding = Objects.requireNonNull(binding, "binding");
        if (maxIterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("maxIterations below " + MIN_ITERATIONS + ": " + maxIterations);
        }
        this.maxIterations = maxIterations;
        this.advertised = advertised;
    }

    private static String randomNonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String name() {
        return binding.flag() == 'p' ? hash.mechanismName + "-PLUS" : hash.mechanismName;
    }

    /** The GS2 flag and channel binding this client sends. */
    public Binding binding() {
        return binding;
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
        return (binding.gs2Header() + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Answers the server-first-message as an {@link Answer} whose key derivation the caller runs
     * in slices; other challenges are answered at once.
     */
    @Override
    public Answer answer(byte[] challenge) throws SaslException {
        if (state != State.SENT_CLIENT_FIRST) {
            return SaslMechanism.super.answer(challenge);
        }
        try {
            return clientFinal(decode(challenge, "server-first-message"));
        } catch (SaslException e) {
            fail();
            throw e;
        }
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
        try {
            switch (state) {
                case SENT_CLIENT_FIRST: {
                    Derivation d = clientFinal(decode(challenge, "server-first-message"));
                    d.advance(Integer.MAX_VALUE);
                    return d.response();
                }
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

    private Derivation clientFinal(String serverFirst) throws SaslException {
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
        String ssdp = null;
        for (int i = 3; i < parts.length; i++) {
            if (parts[i].startsWith("h=")) {
                ssdp = attribute(parts[i], 'h', "server-first-message");
            }
            // other optional extensions (RFC 5802 §7) are ignored
        }

        if (!isPrintable(nonce)) {
            throw malformed("server nonce contains characters outside %x21-2B / %x2D-7E");
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new SaslException(SaslException.Condition.NONCE_MISMATCH,
                    "the server nonce does not start with the client nonce followed by the server's part");
        }
        checkDowngrade(ssdp);
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

        String clientFinalWithoutProof = "c=" + Base64.getEncoder().encodeToString(channelBindingInput()) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof)
                .getBytes(StandardCharsets.UTF_8);
        return new Derivation(salt, iterations, clientFinalWithoutProof, authMessage);
    }

    /** RFC 5802 §7 cbind-input: the GS2 header, then for {@code p} the channel-binding data. */
    private byte[] channelBindingInput() {
        byte[] header = binding.gs2Header().getBytes(StandardCharsets.US_ASCII);
        if (binding.flag() != 'p') {
            return header;
        }
        byte[] data = binding.data();
        byte[] out = Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, out, header.length, data.length);
        return out;
    }

    /** XEP-0474: the server's hash of what it advertised must match what reached us. */
    private void checkDowngrade(String serverHash) throws SaslException {
        if (advertised == null) {
            return;
        }
        if (serverHash == null) {
            if (advertised.hashRequired()) {
                throw new SaslException(SaslException.Condition.DOWNGRADE_DETECTED,
                        "the server offers -PLUS but none of its channel-binding types " + advertised.channelBindingTypes()
                                + " is one this client supports, and sends no XEP-0474 hash (h=) to show that"
                                + " this offer is genuine");
            }
            return;
        }
        byte[] expected;
        try {
            expected = MessageDigest.getInstance(hash.digest).digest(
                    advertised.ssdpInput().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + hash.digest, e);
        }
        byte[] got;
        try {
            got = Base64.getDecoder().decode(serverHash);
        } catch (IllegalArgumentException e) {
            throw malformed("downgrade-protection hash (h=) is not valid base64");
        }
        if (!MessageDigest.isEqual(expected, got)) {
            throw new SaslException(SaslException.Condition.DOWNGRADE_DETECTED,
                    "the server's XEP-0474 hash (h=) does not match the mechanisms " + advertised.mechanisms()
                            + (advertised.channelBindingTypes() == null ? ""
                                    : " and channel-binding types " + advertised.channelBindingTypes())
                            + " that reached this client: someone between us and the server changed them");
        }
    }

    private int parseIterations(String text) throws SaslException {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("iteration count (i=) is not a positive decimal number");
        }
        long iterations = Long.parseLong(text);
        if (iterations < MIN_ITERATIONS || iterations > maxIterations) {
            throw new SaslException(SaslException.Condition.ITERATION_COUNT_OUT_OF_RANGE,
                    "iteration count " + iterations + " is outside [" + MIN_ITERATIONS + ", "
                            + maxIterations + "] (the maximum is configurable)");
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
