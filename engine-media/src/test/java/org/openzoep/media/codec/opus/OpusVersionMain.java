package org.openzoep.media.codec.opus;

/** Run in a fresh JVM by the tests: prints which libopus was loaded. */
public final class OpusVersionMain {
    private OpusVersionMain() {
    }

    public static void main(String[] args) {
        OpusLibraryInfo info = OpusNative.info();
        try (OpusEncoder enc = OpusEncoder.builder().build()) {
            byte[] out = new byte[1500];
            int len = enc.encode(new short[960], 0, out, 0, out.length);
            System.out.println("version=" + info.version() + " bundled=" + info.bundled() + " path=" + info.path() + " encoded=" + len);
        }
    }
}
