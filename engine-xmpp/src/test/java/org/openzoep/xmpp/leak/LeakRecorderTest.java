package org.openzoep.xmpp.leak;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak recorder can fail: a buffer dropped without release is reported. */
class LeakRecorderTest {

    @Test
    void aBufferDroppedWithoutReleaseIsReported() {
        int before = LeakRecorder.selfTestLeaks();
        long deadline = System.nanoTime() + 20_000_000_000L;
        do {
            leak(); // garbage collection is not ours to time; more garbage makes it certain
        } while (LeakRecorder.selfTestLeaks() == before && System.nanoTime() < deadline);
        assertThat(LeakRecorder.selfTestLeaks()).isGreaterThan(before);
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
        b.touch(LeakRecorder.SELF_TEST_HINT);
        b.writeInt(1);
    }
}
