package org.openzoep.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProsodyAccountsTest {

    @TempDir
    Path dir;

    private final ProsodyAccounts accounts =
            new ProsodyAccounts(Path.of("prosodyctl"), ProsodyServer.PasswordHash.SHA_256, 4096);

    @Test
    void encodesAsProsodysDatamanager() {
        assertThat(ProsodyAccounts.encode("localhost")).isEqualTo("localhost");
        assertThat(ProsodyAccounts.encode("user.1_x-y")).isEqualTo("user%2e1%5fx%2dy");
        assertThat(ProsodyAccounts.encode("é")).isEqualTo("%c3%a9");
    }

    @Test
    void writesOneFilePerAccountWhereProsodyLooks() throws Exception {
        assertThat(accounts.writeAll(dir, "u.", 3, "secret")).containsExactly("u.0", "u.1", "u.2");
        Path file = dir.resolve("data/localhost/accounts/u%2e1.dat");
        assertThat(file).isRegularFile();
        assertThat(ProsodyAccounts.file(dir, "U.1")).isEqualTo(file);
        assertThat(ProsodyAccounts.exists(dir, "u.2")).isTrue();
        assertThat(ProsodyAccounts.exists(dir, "u.3")).isFalse();
        try (var files = Files.list(file.getParent())) {
            assertThat(files.filter(p -> p.toString().endsWith("~"))).isEmpty();
        }
    }

    @Test
    void recordHoldsScramKeysOfThePassword() throws Exception {
        String record = accounts.accountRecord("pencil");
        String salt = field(record, "salt", "\"([^\"]+)\"");
        assertThat(field(record, "iteration_count", "(\\d+)")).isEqualTo("4096");
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("pencil".toCharArray(), salt.getBytes(StandardCharsets.UTF_8), 4096, 256))
                .getEncoded();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = mac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
        HexFormat hex = HexFormat.of();
        assertThat(field(record, "stored_key", "\"([0-9a-f]+)\""))
                .isEqualTo(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(clientKey)));
        assertThat(field(record, "server_key", "\"([0-9a-f]+)\"")).isEqualTo(hex.formatHex(serverKey));
    }

    @Test
    void refusesNamesAndPasswordsItCannotWriteDirectly() {
        assertThatThrownBy(() -> accounts.writeAll(dir, "Alice", 1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.writeAll(dir, "a", 1, "pässword")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.writeAll(dir, "a", -1, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String field(String record, String name, String value) {
        Matcher m = Pattern.compile("\\[\"" + name + "\"\\] = " + value + ";").matcher(record);
        assertThat(m.find()).as(name + " in " + record).isTrue();
        return m.group(1);
    }
}
