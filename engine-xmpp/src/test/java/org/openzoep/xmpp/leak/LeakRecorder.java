package org.openzoep.xmpp.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector, at {@code paranoid}, reports a buffer that was
 * never released. Registered for every test class by JUnit's extension auto-detection (see
 * {@code junit-platform.properties}), so it is installed before the first buffer is made.
 */
public final class LeakRecorder implements AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    /** Leaks of buffers touched with this hint are the self-test's, counted apart. */
    static final String SELF_TEST_HINT = "LeakRecorderSelfTest";
    private static final List<String> SELF_TEST_LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return new ResourceLeakDetector<T>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        if (records.contains(SELF_TEST_HINT)) {
                            SELF_TEST_LEAKS.add(records);
                            return;
                        }
                        LEAKS.add(resourceType + " leaked:" + records);
                        super.reportTracedLeak(resourceType, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        LEAKS.add(resourceType + " leaked");
                        super.reportUntracedLeak(resourceType);
                    }
                };
            }
        });
    }

    /** Collects garbage, lets the detectors look, and returns every leak reported so far. */
    public static List<String> collectLeaks() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            System.runFinalization();
            // Leaks are reported when a tracked allocation happens after the collection.
            for (ByteBufAllocator a : List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT)) {
                for (int i = 0; i < 16; i++) {
                    ByteBuf b = a.directBuffer(16);
                    b.release();
                    b = a.heapBuffer(16);
                    b.release();
                }
            }
        }
        return new ArrayList<>(LEAKS);
    }

    /** Self-test leaks reported so far. */
    static int selfTestLeaks() {
        collectLeaks();
        return SELF_TEST_LEAKS.size();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collectLeaks();
        LEAKS.clear();
        if (!leaks.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " leaked " + leaks.size() + " buffer(s):\n"
                    + String.join("\n", leaks));
        }
    }
}
