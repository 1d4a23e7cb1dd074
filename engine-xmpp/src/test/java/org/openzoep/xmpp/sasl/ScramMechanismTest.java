package org.openzoep.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramMechanismTest {

    // RFC 5802 §5 example (SCRAM-SHA-1, user "user", password "pencil").
    private static final String SHA1_CNONCE = "fyko+d2lbbFgONRv9qkxdawL";
    private static final String SHA1_SERVER_FIRST =
            "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
    private static final String SHA1_CLIENT_FINAL =
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
    private static final String SHA1_SERVER_FINAL = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

    // RFC 7677 §3 example (SCRAM-SHA-256, user "user", password "pencil").
    private static final String SHA256_CNONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SHA256_SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String SHA256_CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SHA256_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramMechanism sha1() {
        return new ScramMechanism(ScramMechanism.Hash.SHA_1, "user", "pencil", SHA1_CNONCE);
    }

    private static ScramMechanism sha256() {
        return new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", SHA256_CNONCE);
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    @Test
    void rfc5802ScramSha1Vector() throws Exception {
        ScramMechanism m = sha1();
        assertThat(m.name()).isEqualTo("SCRAM-SHA-1");
        assertThat(s(m.initialResponse())).isEqualTo("n,,n=user,r=" + SHA1_CNONCE);
        assertThat(s(m.evaluateChallenge(b(SHA1_SERVER_FIRST)))).isEqualTo(SHA1_CLIENT_FINAL);
        m.verifySuccess(b(SHA1_SERVER_FINAL));
    }

    @Test
    void rfc7677ScramSha256Vector() throws Exception {
        ScramMechanism m = sha256();
        assertThat(m.name()).isEqualTo("SCRAM-SHA-256");
        assertThat(s(m.initialResponse())).isEqualTo("n,,n=user,r=" + SHA256_CNONCE);
        assertThat(s(m.evaluateChallenge(b(SHA256_SERVER_FIRST)))).isEqualTo(SHA256_CLIENT_FINAL);
        m.verifySuccess(b(SHA256_SERVER_FINAL));
    }

    @Test
    void serverFinalAsChallengeThenEmptySuccess() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        assertThat(m.evaluateChallenge(b(SHA256_SERVER_FINAL))).isEmpty();
        m.verifySuccess(null);
        m.verifySuccess(new byte[0]);
    }

    @Test
    void challengeAfterServerFinalIsMalformed() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        m.evaluateChallenge(b(SHA256_SERVER_FINAL));
        assertCondition(() -> m.evaluateChallenge(b(SHA256_SERVER_FINAL)), SaslException.Condition.MALFORMED_CHALLENGE);
    }

    @Test
    void serverFinalAsChallengeThenDifferentSignatureInSuccessFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        m.evaluateChallenge(b(SHA256_SERVER_FINAL));
        assertThatThrownBy(() -> m.verifySuccess(b("v=" + Base64.getEncoder().encodeToString(new byte[32]))))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.condition())
                        .isEqualTo(SaslException.Condition.SERVER_SIGNATURE_MISMATCH));
    }

    @Test
    void extensionsAfterServerSignatureAreIgnored() throws Exception {
        ScramMechanism m = sha1();
        m.initialResponse();
        m.evaluateChallenge(b(SHA1_SERVER_FIRST + ",x=ext"));
        // The extension is part of AuthMessage, so the RFC signature no longer matches.
        assertThatThrownBy(() -> m.verifySuccess(b(SHA1_SERVER_FINAL + ",x=y")))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.condition())
                        .isEqualTo(SaslException.Condition.SERVER_SIGNATURE_MISMATCH));
        ScramMechanism n = sha1();
        n.initialResponse();
        n.evaluateChallenge(b(SHA1_SERVER_FIRST));
        n.verifySuccess(b(SHA1_SERVER_FINAL + ",x=y"));
    }

    @Test
    void wrongServerSignatureFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        // Flip one bit of the first byte (changing the last character would only touch padding bits).
        String wrong = "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
        assertCondition(() -> m.verifySuccess(b(wrong)), SaslException.Condition.SERVER_SIGNATURE_MISMATCH);
    }

    @Test
    void signatureOfTheOtherHashFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        assertCondition(() -> m.verifySuccess(b(SHA1_SERVER_FINAL)), SaslException.Condition.SERVER_SIGNATURE_MISMATCH);
    }

    @Test
    void successWithoutServerSignatureFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        assertCondition(() -> m.verifySuccess(null), SaslException.Condition.SERVER_SIGNATURE_MISMATCH);
        ScramMechanism n = sha256();
        n.initialResponse();
        n.evaluateChallenge(b(SHA256_SERVER_FIRST));
        assertCondition(() -> n.verifySuccess(b("x=whatever")), SaslException.Condition.SERVER_SIGNATURE_MISMATCH);
    }

    @Test
    void successBeforeClientProofFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        assertCondition(() -> m.verifySuccess(b(SHA256_SERVER_FINAL)), SaslException.Condition.SERVER_SIGNATURE_MISMATCH);
    }

    @Test
    void serverErrorInFinalMessage() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        assertCondition(() -> m.verifySuccess(b("e=invalid-proof")), SaslException.Condition.NOT_AUTHORIZED);

        ScramMechanism n = sha256();
        n.initialResponse();
        n.evaluateChallenge(b(SHA256_SERVER_FIRST));
        assertThatThrownBy(() -> n.evaluateChallenge(b("e=no-resources")))
                .isInstanceOfSatisfying(SaslException.class, e -> {
                    assertThat(e.condition()).isEqualTo(SaslException.Condition.SERVER_ERROR);
                    assertThat(e.getMessage()).contains("no-resources");
                });
    }

    @Test
    void serverErrorInFirstMessage() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        assertCondition(() -> m.evaluateChallenge(b("e=unknown-user")), SaslException.Condition.NOT_AUTHORIZED);
    }

    @Test
    void nonceNotStartingWithClientNonceFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        String bad = SHA256_SERVER_FIRST.replace("r=rOpr", "r=XOpr");
        assertCondition(() -> m.evaluateChallenge(b(bad)), SaslException.Condition.NONCE_MISMATCH);
    }

    @Test
    void nonceWithoutServerPartFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        String bad = "r=" + SHA256_CNONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        assertCondition(() -> m.evaluateChallenge(b(bad)), SaslException.Condition.NONCE_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "4095", "1000001", "2147483647", "9999999999"})
    void iterationCountOutOfRangeFails(String iterations) throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        String bad = SHA256_SERVER_FIRST.replace("i=4096", "i=" + iterations);
        assertCondition(() -> m.evaluateChallenge(b(bad)), SaslException.Condition.ITERATION_COUNT_OUT_OF_RANGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        "r=rOprNGfwEbeRWgbNEkqOxyz",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==",
        "s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqOxyz,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOxyz,i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=!!notbase64!!,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-4096",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096x",
        "r=rOprNGfwEbeRWgbNEkqO xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "m=ext,r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    })
    void malformedServerFirstFails(String challenge) throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        assertThatThrownBy(() -> m.evaluateChallenge(b(challenge)))
                .isInstanceOfSatisfying(SaslException.class, e -> {
                    assertThat(e.condition()).isEqualTo(SaslException.Condition.MALFORMED_CHALLENGE);
                    assertThat(e.getMessage()).startsWith("malformed-challenge: SCRAM: ");
                });
    }

    @Test
    void invalidUtf8ChallengeFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        assertCondition(() -> m.evaluateChallenge(new byte[] {'r', '=', (byte) 0xC3, (byte) 0x28}),
                SaslException.Condition.MALFORMED_CHALLENGE);
    }

    @Test
    void malformedServerSignatureFails() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(b(SHA256_SERVER_FIRST));
        assertCondition(() -> m.verifySuccess(b("v=***")), SaslException.Condition.MALFORMED_CHALLENGE);
    }

    @Test
    void afterFailureTheMechanismIsDead() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        assertThatThrownBy(() -> m.evaluateChallenge(b("garbage"))).isInstanceOf(SaslException.class);
        assertThatThrownBy(() -> m.evaluateChallenge(b(SHA256_SERVER_FIRST))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void misuseIsAnIllegalState() throws Exception {
        ScramMechanism m = sha256();
        assertThatThrownBy(() -> m.evaluateChallenge(b(SHA256_SERVER_FIRST))).isInstanceOf(IllegalStateException.class);
        m.initialResponse();
        assertThatThrownBy(m::initialResponse).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void usernameIsEscapedAndPrepared() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "a=b,c\u00AD\u2168", "pencil", "abc");
        assertThat(s(m.initialResponse())).isEqualTo("n,,n=a=3Db=2CcIX,r=abc");
    }

    @Test
    void prohibitedUsernameFailsBeforeAnythingIsSent() {
        ScramMechanism m = ScramMechanism.sha256("bad\u0007user", "pencil");
        assertCondition(m::initialResponse, SaslException.Condition.ILLEGAL_CREDENTIALS);
    }

    @Test
    void prohibitedPasswordFailsBeforeAnythingIsSent() {
        ScramMechanism m = ScramMechanism.sha256("user", "pen\u0000cil");
        assertCondition(m::initialResponse, SaslException.Condition.ILLEGAL_CREDENTIALS);
    }

    @Test
    void randomNonceIsFreshPrintableAndLong() throws Exception {
        String a = s(ScramMechanism.sha256("user", "pencil").initialResponse());
        String b = s(ScramMechanism.sha256("user", "pencil").initialResponse());
        String na = a.substring(a.indexOf(",r=") + 3);
        String nb = b.substring(b.indexOf(",r=") + 3);
        assertThat(na).hasSizeGreaterThanOrEqualTo(32).doesNotContain(",").isNotEqualTo(nb);
        assertThat(na.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
    }

    /**
     * Cross-checks Hi() against the JDK's PBKDF2 for a non-ASCII password and a salt of odd
     * length, by playing the server side with the JDK and verifying the client's proof.
     */
    @Test
    void nonAsciiPasswordMatchesJdkPbkdf2Server() throws Exception {
        String password = "p\u00E4ssw\u00F6rd\u20AC";
        byte[] salt = {1, 2, 3, 4, 5, 6, 7};
        int iterations = 4096;
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", password, "cnonce");
        String clientFirst = s(m.initialResponse());
        String serverFirst = "r=cnonceSNONCE,s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        String clientFinal = s(m.evaluateChallenge(b(serverFirst)));

        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        ScramServer server = new ScramServer("HmacSHA256", "SHA-256", salted);
        String authMessage = clientFirst.substring(3) + "," + serverFirst + ","
                + clientFinal.substring(0, clientFinal.indexOf(",p="));
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(clientFinal.indexOf(",p=") + 3));
        assertThat(server.verifyProof(authMessage, proof)).isTrue();
        m.verifySuccess(b("v=" + Base64.getEncoder().encodeToString(server.serverSignature(authMessage))));
    }

    private static void assertCondition(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            SaslException.Condition condition) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SaslException.class,
                e -> assertThat(e.condition()).isEqualTo(condition));
    }

    /** The server half of SCRAM, independent of the class under test. */
    private static final class ScramServer {
        private final String hmac;
        private final String digest;
        private final byte[] salted;

        ScramServer(String hmac, String digest, byte[] salted) {
            this.hmac = hmac;
            this.digest = digest;
            this.salted = salted;
        }

        private byte[] mac(byte[] key, String data) throws Exception {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(hmac);
            mac.init(new javax.crypto.spec.SecretKeySpec(key, hmac));
            return mac.doFinal(b(data));
        }

        boolean verifyProof(String authMessage, byte[] proof) throws Exception {
            byte[] storedKey = java.security.MessageDigest.getInstance(digest).digest(mac(salted, "Client Key"));
            byte[] signature = mac(storedKey, authMessage);
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ signature[i]);
            }
            return java.util.Arrays.equals(java.security.MessageDigest.getInstance(digest).digest(clientKey), storedKey);
        }

        byte[] serverSignature(String authMessage) throws Exception {
            return mac(mac(salted, "Server Key"), authMessage);
        }
    }
}
