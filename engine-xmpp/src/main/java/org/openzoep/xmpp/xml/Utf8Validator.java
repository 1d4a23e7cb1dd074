package org.openzoep.xmpp.xml;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental UTF-8 validation (RFC 3629): rejects stray continuation bytes, overlong forms,
 * UTF-16 surrogates and code points above U+10FFFF, with state carried across chunk boundaries.
 * Aalto's async scanner checks continuation bytes but accepts overlong forms, so the stream
 * parser runs every byte through this first (RFC 6120 §11.6 makes such input not-well-formed).
 *
 * <p>Thread: confined to its parser.
 */
final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private int remaining;
    private int lo = 0x80;
    private int hi = 0xBF;

    /** Checks the remaining bytes of {@code in} without moving its position; false on invalid input. */
    boolean accept(ByteBuffer in) {
        return firstInvalid(in) < 0;
    }

    /** Checks {@code a[off, off+len)}; false on invalid input. */
    boolean accept(byte[] a, int off, int len) {
        return firstInvalid(a, off, len) < 0;
    }

    /**
     * Checks the remaining bytes of {@code in} without moving its position.
     *
     * @return -1, or the index in {@code in} of the first byte that makes the input invalid
     */
    int firstInvalid(ByteBuffer in) {
        int i = in.position();
        int end = in.limit();
        if (in.hasArray()) {
            int bad = firstInvalid(in.array(), in.arrayOffset() + i, end - i);
            return bad < 0 ? -1 : bad - in.arrayOffset();
        }
        for (; i < end; i++) {
            if (remaining == 0) {
                // XMPP is mostly ASCII: skip it eight bytes at a time
                while (i + 8 <= end && (in.getLong(i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            byte b = in.get(i);
            if (b >= 0 && remaining == 0) {
                continue;
            }
            if (!step(b & 0xFF)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks {@code a[off, off+len)}.
     *
     * @return -1, or the index in {@code a} of the first byte that makes the input invalid
     */
    int firstInvalid(byte[] a, int off, int len) {
        for (int j = off, e = off + len; j < e; j++) {
            if (remaining == 0) {
                while (j + 8 <= e && ((long) LONGS.get(a, j) & HIGH_BITS) == 0) {
                    j += 8;
                }
                if (j == e) {
                    break;
                }
            }
            byte b = a[j];
            if (b >= 0 && remaining == 0) {
                continue;
            }
            if (!step(b & 0xFF)) {
                return j;
            }
        }
        return -1;
    }

    private boolean step(int b) {
        if (remaining > 0) {
            if (b < lo || b > hi) {
                return false;
            }
            remaining--;
            lo = 0x80;
            hi = 0xBF;
            return true;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            remaining = 1;
        } else if (b == 0xE0) {
            remaining = 2;
            lo = 0xA0;
        } else if (b == 0xED) {
            remaining = 2;
            hi = 0x9F;
        } else if (b >= 0xE1 && b <= 0xEF) {
            remaining = 2;
        } else if (b == 0xF0) {
            remaining = 3;
            lo = 0x90;
        } else if (b >= 0xF1 && b <= 0xF3) {
            remaining = 3;
        } else if (b == 0xF4) {
            remaining = 3;
            hi = 0x8F;
        } else {
            return false;
        }
        return true;
    }
}
