package org.openzoep.testkit;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The fuzz targets' input format, the convention of libFuzzer's FuzzedDataProvider: bulk bytes
 * (the document, the packet) from the front, small choices (chunk sizes, buffer kinds, flags) from
 * the back. A seed made from a test vector is the vector with its choices appended in reverse
 * ({@link #encode}), so a mutation of the document leaves the choices where they are.
 *
 * <p>Thread: confined. Reading past the end gives zeros and empty arrays, never an exception.
 */
public final class FuzzInput {
    private final byte[] data;
    private int front;
    private int back;

    public FuzzInput(byte[] data) {
        this.data = data;
        this.back = data.length;
    }

    /** Bytes not yet taken from either end. */
    public int remaining() {
        return back - front;
    }

    /** The next choice, 0..255, from the back; 0 once nothing remains. */
    public int choice() {
        return back > front ? data[--back] & 0xFF : 0;
    }

    /** Up to {@code n} bytes from the front. */
    public byte[] bytes(int n) {
        int take = Math.min(Math.max(n, 0), remaining());
        byte[] out = Arrays.copyOfRange(data, front, front + take);
        front += take;
        return out;
    }

    /** Everything not yet taken. */
    public byte[] rest() {
        return bytes(remaining());
    }

    /** A seed: {@code body} read from the front, then {@code choices} read in order from the back. */
    public static byte[] encode(byte[] body, int... choices) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + choices.length);
        out.writeBytes(body);
        for (int i = choices.length - 1; i >= 0; i--) {
            out.write(choices[i]);
        }
        return out.toByteArray();
    }
}
