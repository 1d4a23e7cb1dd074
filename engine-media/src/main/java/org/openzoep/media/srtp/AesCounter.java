package org.openzoep.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 section 4.1.1 defines it: keystream block {@code j} is
 * {@code AES(key, IV + j)}, where the low 16 bits of the 128-bit IV are zero, so at most 2^16
 * blocks (1 MiB) follow one IV. One {@code AES/ECB/NoPadding} cipher encrypts a run of counter
 * blocks laid out in a preallocated array; nothing is allocated per call.
 *
 * <p>Thread: one at a time (owned by one {@link SrtpContext}, or local to a key derivation).
 */
final class AesCounter {

    /** Counter blocks encrypted per cipher call. */
    private static final int CHUNK_BLOCKS = 64;
    static final int MAX_BLOCKS = 1 << 16;

    private final Cipher aes;
    private final byte[] counters = new byte[CHUNK_BLOCKS * 16];
    private final byte[] keystream = new byte[CHUNK_BLOCKS * 16];

    AesCounter(byte[] key) {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is missing from this JDK", e);
        }
    }

    /**
     * XORs the keystream for {@code iv} into {@code data[off, off + len)} (encrypts or decrypts).
     *
     * @param iv 16 bytes, the low two zero (only the first 14 are read)
     * @param len at most {@link #MAX_BLOCKS} blocks
     */
    void apply(byte[] iv, byte[] data, int off, int len) {
        if (len > MAX_BLOCKS * 16) {
            throw new IllegalArgumentException("more than 2^16 blocks under one IV");
        }
        int block = 0;
        int done = 0;
        while (done < len) {
            int n = Math.min(CHUNK_BLOCKS, (len - done + 15) >>> 4);
            for (int b = 0; b < n; b++, block++) {
                int p = b << 4;
                System.arraycopy(iv, 0, counters, p, 14);
                counters[p + 14] = (byte) (block >>> 8);
                counters[p + 15] = (byte) block;
            }
            try {
                aes.doFinal(counters, 0, n << 4, keystream, 0);
            } catch (GeneralSecurityException e) {
                // cannot happen for ECB without padding over whole blocks into a large enough array
                throw new IllegalStateException(e);
            }
            int m = Math.min(n << 4, len - done);
            for (int i = 0; i < m; i++) {
                data[off + done + i] ^= keystream[i];
            }
            done += m;
        }
    }
}
