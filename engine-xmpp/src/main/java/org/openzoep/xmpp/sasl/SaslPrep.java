package org.openzoep.xmpp.sasl;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013, the "query" profile of stringprep, RFC 3454) for usernames and passwords.
 *
 * <p>Implemented: mapping of RFC 3454 table B.1 to nothing and of non-ASCII spaces (C.1.2) to
 * U+0020; NFKC normalization (with the JDK's Unicode version, not Unicode 3.2 as RFC 3454 pins);
 * the prohibited output of tables C.1.2 and C.2.1 through C.9 (controls, private use,
 * non-characters, unpaired surrogates, display-changing and tagging characters); the bidi rule of
 * RFC 3454 §6. Not implemented: the unassigned-code-point check, which the query profile does not
 * require.
 *
 * <p>Stateless; safe from any thread.
 */
final class SaslPrep {

    private SaslPrep() {
    }

    /**
     * Prepares {@code s}.
     *
     * @param what names the string in error messages ("username", "password"); the value itself
     *     never appears in a message
     * @throws SaslException with {@link SaslException.Condition#ILLEGAL_CREDENTIALS} when the
     *     string contains prohibited output or breaks the bidi rule
     */
    static String prepare(String s, String what) throws SaslException {
        StringBuilder mapped = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isMappedToNothing(cp)) {
                continue;
            }
            mapped.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp);
        }
        String out = Normalizer.normalize(mapped, Normalizer.Form.NFKC);

        boolean hasRandAL = false;
        boolean hasL = false;
        for (int i = 0; i < out.length(); ) {
            int cp = out.codePointAt(i);
            if (Character.isSurrogate(out.charAt(i)) && Character.charCount(cp) == 1) {
                throw prohibited(what, "an unpaired surrogate", i);
            }
            String reason = prohibitedReason(cp);
            if (reason != null) {
                throw prohibited(what, reason, i);
            }
            byte dir = Character.getDirectionality(cp);
            if (dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
                hasRandAL = true;
            } else if (dir == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
                hasL = true;
            }
            i += Character.charCount(cp);
        }
        if (hasRandAL) {
            if (hasL) {
                throw new SaslException(SaslException.Condition.ILLEGAL_CREDENTIALS,
                        what + " mixes right-to-left and left-to-right characters (RFC 3454 §6)");
            }
            if (!isRandAL(out.codePointAt(0)) || !isRandAL(out.codePointBefore(out.length()))) {
                throw new SaslException(SaslException.Condition.ILLEGAL_CREDENTIALS,
                        what + " contains right-to-left characters but does not start and end with one"
                                + " (RFC 3454 §6)");
            }
        }
        return out;
    }

    private static SaslException prohibited(String what, String reason, int index) {
        return new SaslException(SaslException.Condition.ILLEGAL_CREDENTIALS,
                what + " contains " + reason + " at index " + index + ", which SASLprep (RFC 4013) prohibits");
    }

    private static boolean isRandAL(int cp) {
        byte dir = Character.getDirectionality(cp);
        return dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table B.1. */
    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806
                || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D)
                || cp == 0x2060
                || (cp >= 0xFE00 && cp <= 0xFE0F)
                || cp == 0xFEFF;
    }

    /** RFC 3454 table C.1.2 (U+200B is in B.1 as well, and B.1 wins above). */
    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200B)
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Tables C.1.2 (after mapping none remain), C.2.1 to C.9; {@code null} when allowed. */
    private static String prohibitedReason(int cp) {
        if (cp < 0x20 || cp == 0x7F) {
            return "an ASCII control character";
        }
        if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E
                || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F)
                || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC)
                || (cp >= 0x1D173 && cp <= 0x1D17A)) {
            return "a control character";
        }
        if ((cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)
                || (cp >= 0x100000 && cp <= 0x10FFFD)) {
            return "a private-use character";
        }
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            return "a non-character code point";
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            return "a surrogate code point";
        }
        if (cp == 0xFFFD) {
            return "the replacement character";
        }
        if (cp >= 0x2FF0 && cp <= 0x2FFB) {
            return "an ideographic description character";
        }
        if (cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F
                || (cp >= 0x202A && cp <= 0x202E)) {
            return "a display-changing or deprecated character";
        }
        if (cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F)) {
            return "a tagging character";
        }
        if (isNonAsciiSpace(cp)) {
            return "a non-ASCII space";
        }
        return null;
    }
}
