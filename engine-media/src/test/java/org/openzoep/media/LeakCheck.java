package org.openzoep.media;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Netty's leak reports (paranoid level in tests) into something a test can assert: a listener
 * on the ByteBuf leak detector counts the leaks it reports. {@link #leaksAfterGc()} collects
 * garbage and allocates a little, which is when the detector notices and reports leaked buffers.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection
 * ({@code junit-platform.properties}): a class after which new leaks are reported fails.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger LEAKS = new AtomicInteger();
    private static final AtomicInteger FOR_SELF_TEST = new AtomicInteger();

    static {
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
            detector.setLeakListener((resourceType, records) -> {
                if (records.contains("LeakCheckSelfTest")) {
                    FOR_SELF_TEST.incrementAndGet();
                } else {
                    LEAKS.incrementAndGet();
                }
            });
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot hook Netty's leak detector", e);
        }
    }

    private int before;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        before = leaksAfterGc();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        int leaked = leaksAfterGc() - before;
        if (leaked > 0) {
            throw new AssertionError(context.getDisplayName() + ": " + leaked
                    + " ByteBuf(s) reported leaked by Netty's paranoid detector");
        }
    }

    /** Installs the listener (class initialization); call before the code under test runs. */
    public static void install() {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
    }

    /** Leaks reported so far, after giving the detector the chance to see collected buffers. */
    public static int leaksAfterGc() {
        settle();
        return LEAKS.get();
    }

    static int selfTestLeaksAfterGc() {
        settle();
        return FOR_SELF_TEST.get();
    }

    private static void settle() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            System.runFinalization();
            // the detector polls its reference queue when it tracks a new buffer
            for (int j = 0; j < 50; j++) {
                PooledByteBufAllocator.DEFAULT.buffer(8).release();
            }
        }
    }
}
