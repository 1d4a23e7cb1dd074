package org.openzoep.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself can fail: a buffer dropped without release is reported. */
class LeakCheckTest {

    @Test
    void aBufferDroppedWithoutReleaseIsReported() {
        LeakCheck.install();
        int before = LeakCheck.selfTestLeaksAfterGc();
        leak();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (LeakCheck.selfTestLeaksAfterGc() == before && System.nanoTime() < deadline) {
            leak(); // GC timing is not ours to control; more garbage makes collection certain
        }
        assertThat(LeakCheck.selfTestLeaksAfterGc()).isGreaterThan(before);
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
        b.touch("LeakCheckSelfTest");
        b.writeInt(1);
    }
}
