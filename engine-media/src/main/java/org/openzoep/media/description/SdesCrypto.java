package org.openzoep.media.description;

/**
 * One RFC 4568 {@code a=crypto} line: {@code a=crypto:<tag> <crypto-suite> <key-params>
 * [<session-params>]}, e.g. {@code a=crypto:1 AES_CM_128_HMAC_SHA1_80
 * inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32}.
 *
 * <p>Immutable; any thread. The key is secret: {@link #toString()} leaves it out.
 *
 * @param tag the decimal tag the answer echoes
 * @param suite the crypto suite, e.g. "AES_CM_128_HMAC_SHA1_80"
 * @param keyParams "inline:" base64 key||salt with optional lifetime and MKI
 * @param sessionParams the optional session parameters, or null
 */
public record SdesCrypto(int tag, String suite, String keyParams, String sessionParams) {

    /** The base64 master key and salt of the first {@code inline:} key parameter, or null. */
    public String inlineKey() {
        if (keyParams == null || !keyParams.regionMatches(true, 0, "inline:", 0, 7)) {
            return null;
        }
        String k = keyParams.substring(7);
        int bar = k.indexOf('|');
        int semi = k.indexOf(';');
        int end = bar >= 0 ? bar : semi >= 0 ? semi : k.length();
        return k.substring(0, end);
    }

    @Override
    public String toString() {
        return "crypto:" + tag + " " + suite + (sessionParams == null ? "" : " " + sessionParams);
    }
}
