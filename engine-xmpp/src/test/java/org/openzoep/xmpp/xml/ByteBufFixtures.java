package org.openzoep.xmpp.xml;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

final class ByteBufFixtures {
    private ByteBufFixtures() {
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
