package org.openzoep.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SCRAM-SHA-512, {@code -PLUS} ({@code c=} with channel-binding data), the {@code y} flag and
 * XEP-0474 against vectors computed independently with Python's hashlib/hmac: the script is
 * {@code src/test/resources/fixtures/scram/vectors.py} (run it to recompute every constant here).
 * User "user", password "pencil", salt "OpenZoep salt 01", 4096 iterations; the binding data are
 * the bytes 0..31 (tls-exporter) and 0..11 (tls-unique).
 */
class ScramVectorsTest {
    static final byte[] CB = new byte[32];

    static {
        for (int i = 0; i < CB.length; i++) {
            CB[i] = (byte) i;
        }
    }

    static final String SHA512_SERVER_FIRST = "r=clientNonceSha512serverPart,s=T3BlblpvZXAgc2FsdCAwMQ==,i=4096";
    static final String SHA512_CLIENT_FINAL = "c=biws,r=clientNonceSha512serverPart,"
            + "p=CNUqBIPErrOxi9Y0+5Cq+q5FFhJLQKSEInnQn/DMiSEu34mPYTnyXXSe9oKfI5sQY3Ajiwb21DG8yjIflwpBrQ==";
    static final String SHA512_SERVER_FINAL =
            "v=PnHbrIRfUh/M5nScS3H8/cONsBlAlPPsj8sy9BYV+LwMnPnW9mxC70eDtAVkN9QiQqgnrUbw+ScT69Lg19rzHA==";

    static final String EXPORTER_SERVER_FIRST = "r=clientNoncePlusserverPart,s=T3BlblpvZXAgc2FsdCAwMQ==,i=4096";
    static final String EXPORTER_CLIENT_FINAL = "c=cD10bHMtZXhwb3J0ZXIsLAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f,"
            + "r=clientNoncePlusserverPart,"
            + "p=EIXBYzSC+XWGFRDIINyBAvuxEKocWpT0Vats4dLLiiAQUCmaHAVvv+9giY4xu2huKIbr5LxqKGlOzULJNqZabw==";
    static final String EXPORTER_SERVER_FINAL =
            "v=AQIXXGCTwgHAqaw0iwMQ5hhKrjyuSp56E8jkoxmnXuqCquqIIcErPh+bXUwUwgYFBqqmbFEX3PaBKIIgbZuV+Q==";

    static final String UNIQUE_SERVER_FIRST = "r=clientNonceUniqueserverPart,s=T3BlblpvZXAgc2FsdCAwMQ==,i=4096";
    static final String UNIQUE_CLIENT_FINAL = "c=cD10bHMtdW5pcXVlLCwAAQIDBAUGBwgJCgs=,r=clientNonceUniqueserverPart,"
            + "p=mrUO5lFOQAy5emeqGRgrnBDqjdHCAVjy2Zzfjq+N8Fo=";
    static final String UNIQUE_SERVER_FINAL = "v=pYNjhTHM1+4+suRAvCVD110Y/H20SdPuAg8Ky8cMOCw=";

    static final String Y_SERVER_FIRST = "r=clientNonceYserverPart,s=T3BlblpvZXAgc2FsdCAwMQ==,i=4096";
    static final String Y_CLIENT_FINAL = "c=eSws,r=clientNonceYserverPart,p=+4Jm//WYPYkKBj2UmZ3zpANZBcakQPvfVSnBwDAf67M=";
    static final String Y_SERVER_FINAL = "v=6is59bcxEw9woJW4KHxXzHvBRxnjEDlKM9DqVGQbw4A=";

    static final String SSDP_SERVER_FIRST = "r=clientNonceSsdpserverPart,s=T3BlblpvZXAgc2FsdCAwMQ==,i=4096,"
            + "h=3v2GEc70FDIweeX2XJjp7q407NKKjMqHGzx/he0bVDw=";
    static final String SSDP_CLIENT_FINAL = "c=biws,r=clientNonceSsdpserverPart,p=wV4FLBTHDBWr4O0C7qtpaLEa5drus0BXo6/fqvKIHSI=";
    static final String SSDP_SERVER_FINAL = "v=Y8QvyM10a7uFqvj1g45oHbstVdeSw/TvK0FKZvHThms=";
    static final List<String> SSDP_MECHANISMS = List.of("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1");
    static final List<String> SSDP_TYPES = List.of("tls-server-end-point", "tls-exporter");

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    private static void exchange(ScramMechanism m, String clientFirst, String serverFirst, String clientFinal,
            String serverFinal) throws Exception {
        assertThat(s(m.initialResponse())).isEqualTo(clientFirst);
        assertThat(s(m.evaluateChallenge(b(serverFirst)))).isEqualTo(clientFinal);
        m.verifySuccess(b(serverFinal));
    }

    @Test
    void scramSha512() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_512, "user", "pencil", "clientNonceSha512");
        assertThat(m.name()).isEqualTo("SCRAM-SHA-512");
        exchange(m, "n,,n=user,r=clientNonceSha512", SHA512_SERVER_FIRST, SHA512_CLIENT_FINAL, SHA512_SERVER_FINAL);
    }

    @Test
    void scramSha512PlusWithTlsExporterData() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_512, "user", "pencil", "clientNoncePlus",
                ScramMechanism.Binding.of("tls-exporter", CB), ScramMechanism.MAX_ITERATIONS, null);
        assertThat(m.name()).isEqualTo("SCRAM-SHA-512-PLUS");
        exchange(m, "p=tls-exporter,,n=user,r=clientNoncePlus", EXPORTER_SERVER_FIRST, EXPORTER_CLIENT_FINAL,
                EXPORTER_SERVER_FINAL);
    }

    @Test
    void scramSha256PlusWithTlsUniqueData() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", "clientNonceUnique",
                ScramMechanism.Binding.of("tls-unique", Arrays.copyOf(CB, 12)), ScramMechanism.MAX_ITERATIONS, null);
        assertThat(m.name()).isEqualTo("SCRAM-SHA-256-PLUS");
        exchange(m, "p=tls-unique,,n=user,r=clientNonceUnique", UNIQUE_SERVER_FIRST, UNIQUE_CLIENT_FINAL,
                UNIQUE_SERVER_FINAL);
    }

    @Test
    void theYFlagIsPartOfTheProof() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", "clientNonceY",
                ScramMechanism.Binding.CLIENT_ONLY, ScramMechanism.MAX_ITERATIONS, null);
        assertThat(m.name()).isEqualTo("SCRAM-SHA-256");
        exchange(m, "y,,n=user,r=clientNonceY", Y_SERVER_FIRST, Y_CLIENT_FINAL, Y_SERVER_FINAL);
    }

    @Test
    void aMatchingXep0474HashPasses() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", "clientNonceSsdp",
                ScramMechanism.Binding.NONE, ScramMechanism.MAX_ITERATIONS,
                new ScramMechanism.Advertised(SSDP_MECHANISMS, SSDP_TYPES, false));
        exchange(m, "n,,n=user,r=clientNonceSsdp", SSDP_SERVER_FIRST, SSDP_CLIENT_FINAL, SSDP_SERVER_FINAL);
    }

    @Test
    void aStrippedOfferFailsTheXep0474Hash() throws Exception {
        for (ScramMechanism.Advertised seen : List.of(
                new ScramMechanism.Advertised(List.of("SCRAM-SHA-256", "SCRAM-SHA-1"), SSDP_TYPES, false),
                new ScramMechanism.Advertised(SSDP_MECHANISMS, List.of("tls-server-end-point"), false),
                new ScramMechanism.Advertised(SSDP_MECHANISMS, null, false))) {
            ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", "clientNonceSsdp",
                    ScramMechanism.Binding.NONE, ScramMechanism.MAX_ITERATIONS, seen);
            m.initialResponse();
            assertThatThrownBy(() -> m.evaluateChallenge(b(SSDP_SERVER_FIRST))).isInstanceOfSatisfying(
                    SaslException.class, e -> assertThat(e.condition()).isEqualTo(SaslException.Condition.DOWNGRADE_DETECTED));
        }
    }

    @Test
    void aRequiredHashThatIsMissingIsADowngrade() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", "clientNonceY",
                ScramMechanism.Binding.NONE, ScramMechanism.MAX_ITERATIONS,
                new ScramMechanism.Advertised(SSDP_MECHANISMS, List.of("tls-nonsense"), true));
        m.initialResponse();
        assertThatThrownBy(() -> m.evaluateChallenge(b(Y_SERVER_FIRST))).isInstanceOfSatisfying(SaslException.class,
                e -> assertThat(e.condition()).isEqualTo(SaslException.Condition.DOWNGRADE_DETECTED));
    }

    /** XEP-0474 §5.3's example: SHA-1 of the sorted lists with %x1E and %x1F. */
    @Test
    void theXep0474ExampleHash() throws Exception {
        String input = new ScramMechanism.Advertised(List.of("SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"),
                List.of("tls-server-end-point", "tls-exporter"), false).ssdpInput();
        assertThat(input).isEqualTo("SCRAM-SHA-1\u001ESCRAM-SHA-1-PLUS\u001Ftls-exporter\u001Etls-server-end-point");
        assertThat(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(b(input))))
                .isEqualTo("G6k/rBLDqgOhRRaCuuatSDFkJ08=");
    }

    /** The derivation in slices gives the same proof; a cancelled one gives nothing. */
    @Test
    void theDerivationInSlicesMatchesTheVector() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_512, "user", "pencil", "clientNonceSha512");
        m.initialResponse();
        SaslMechanism.Answer a = m.answer(b(SHA512_SERVER_FIRST));
        int slices = 1;
        while (!a.advance(1000)) {
            slices++;
        }
        assertThat(slices).isEqualTo(5); // 4096 iterations, the first done at once: 4095 in slices of 1000
        assertThat(s(a.response())).isEqualTo(SHA512_CLIENT_FINAL);
        m.verifySuccess(b(SHA512_SERVER_FINAL));

        ScramMechanism c = new ScramMechanism(ScramMechanism.Hash.SHA_512, "user", "pencil", "clientNonceSha512");
        c.initialResponse();
        SaslMechanism.Answer cancelled = c.answer(b(SHA512_SERVER_FIRST));
        cancelled.advance(100);
        cancelled.cancel();
        assertThatThrownBy(cancelled::response).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.verifySuccess(b(SHA512_SERVER_FINAL))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theIterationMaximumIsConfigurable() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", "clientNonceY",
                ScramMechanism.Binding.NONE, 4096, null);
        m.initialResponse();
        assertThat(m.evaluateChallenge(b(Y_SERVER_FIRST))).isNotEmpty(); // 4096 is allowed
        ScramMechanism low = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", "clientNonceY",
                ScramMechanism.Binding.NONE, 4096, null);
        low.initialResponse();
        assertThatThrownBy(() -> low.evaluateChallenge(b(Y_SERVER_FIRST.replace("i=4096", "i=4097"))))
                .isInstanceOfSatisfying(SaslException.class,
                        e -> assertThat(e.condition()).isEqualTo(SaslException.Condition.ITERATION_COUNT_OUT_OF_RANGE));
        assertThatThrownBy(() -> new ScramMechanism(ScramMechanism.Hash.SHA_256, "u", "p", "n",
                ScramMechanism.Binding.NONE, 4095, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
