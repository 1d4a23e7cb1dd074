package org.openzoep.media.srtp;

/**
 * The SRTP key derivation of RFC 3711 section 4.3 with key derivation rate 0 (so r = 0 and each
 * session key is derived once): {@code x = (label || r) XOR master_salt}, then the session key is
 * the AES-CM keystream under the master key with {@code IV = x * 2^16}.
 *
 * <p>Thread: any (stateless).
 */
final class SrtpKdf {

    static final int RTP_ENCRYPTION = 0;
    static final int RTP_AUTH = 1;
    static final int RTP_SALT = 2;
    static final int RTCP_ENCRYPTION = 3;
    static final int RTCP_AUTH = 4;
    static final int RTCP_SALT = 5;

    private SrtpKdf() {
    }

    /**
     * Derives {@code length} bytes for {@code label}.
     *
     * @param masterKey 16 bytes
     * @param masterSalt 14 bytes
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, 14);
        // key_id = label || r is 56 bits aligned to the right of the 112-bit salt; with r = 0 only
        // the label byte, at bit 48 of key_id, is non-zero
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        new AesCounter(masterKey).apply(iv, out, 0, length);
        return out;
    }
}
