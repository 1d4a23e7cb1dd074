package org.openzoep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.openzoep.testkit.ProsodyServer.PasswordHash;

/**
 * The accounts of one {@link ProsodyServer}: registered one by one with {@code prosodyctl register}
 * (Prosody's own code path), or written in bulk straight into Prosody's {@code internal_hashed}
 * file store ({@code data/localhost/accounts/USER.dat}: {@code salt}, {@code iteration_count},
 * {@code stored_key}, {@code server_key} in hex; SCRAM keys as RFC 5802 derives them).
 *
 * <p>Threads: used from the test thread; blocking (process and file I/O); not thread-safe.
 */
final class ProsodyAccounts {

    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9._-]+");

    private final Path prosodyctl;
    private final PasswordHash passwordHash;
    private final int iterationCount;

    ProsodyAccounts(Path prosodyctl, PasswordHash passwordHash, int iterationCount) {
        this.prosodyctl = prosodyctl;
        this.passwordHash = passwordHash;
        this.iterationCount = iterationCount;
    }

    /** Runs {@code prosodyctl register} with the config in {@code dir}; the caller checks the result. */
    void register(Path dir, String user, String password) {
        Exec.run(List.of(prosodyctl.toString(), "--config", dir.resolve(ProsodyConfig.CONFIG_FILE).toString(),
                "register", user, ProsodyServer.DOMAIN, password), dir, Duration.ofSeconds(30));
    }

    /** See {@link ProsodyServer#createAccounts}. */
    List<String> writeAll(Path dir, String prefix, int n, String password) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0");
        }
        if (!prefix.isEmpty() && !ACCOUNT_NAME.matcher(prefix).matches()) {
            throw new IllegalArgumentException("account prefix must match " + ACCOUNT_NAME + ": " + prefix);
        }
        if (!password.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw new IllegalArgumentException("createAccounts takes printable ASCII passwords; use createAccount");
        }
        String record = accountRecord(password);
        Path accounts = accountsDir(dir);
        List<String> names = new ArrayList<>(n);
        try {
            Files.createDirectories(accounts);
            for (int i = 0; i < n; i++) {
                String user = prefix + i;
                Path tmp = accounts.resolve(encode(user) + ".dat~");
                Files.writeString(tmp, record, StandardCharsets.UTF_8);
                // Atomic so that a login racing with the write never reads half a file.
                Files.move(tmp, file(dir, user), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                names.add(user);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write account files in " + accounts, e);
        }
        return names;
    }

    /** Whether Prosody has an account file for {@code user}. */
    static boolean exists(Path dir, String user) {
        return Files.isRegularFile(file(dir, user));
    }

    /** The account file of {@code user} under the server directory {@code dir}. */
    static Path file(Path dir, String user) {
        return accountsDir(dir).resolve(encode(user.toLowerCase(Locale.ROOT)) + ".dat");
    }

    private static Path accountsDir(Path dir) {
        return dir.resolve("data").resolve(encode(ProsodyServer.DOMAIN)).resolve("accounts");
    }

    /** Prosody's datamanager encoding: every byte that is not an ASCII letter or digit becomes %xx. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02x", c));
            }
        }
        return sb.toString();
    }

    /** One account file in the format prosodyctl writes with {@code internal_hashed}. */
    String accountRecord(String password) {
        // Prosody's salts are UUID strings; the string's bytes are the salt.
        String salt = UUID.randomUUID().toString();
        try {
            byte[] salted = SecretKeyFactory.getInstance(passwordHash.pbkdf2)
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8),
                            iterationCount, passwordHash.bits))
                    .getEncoded();
            Mac mac = Mac.getInstance(passwordHash.hmac);
            mac.init(new SecretKeySpec(salted, passwordHash.hmac));
            byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] serverKey = mac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance(passwordHash.digest).digest(clientKey);
            HexFormat hex = HexFormat.of();
            return "return {\n"
                    + "\t[\"server_key\"] = \"" + hex.formatHex(serverKey) + "\";\n"
                    + "\t[\"stored_key\"] = \"" + hex.formatHex(storedKey) + "\";\n"
                    + "\t[\"salt\"] = \"" + salt + "\";\n"
                    + "\t[\"iteration_count\"] = " + iterationCount + ";\n"
                    + "};\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + passwordHash.pbkdf2, e);
        }
    }
}
