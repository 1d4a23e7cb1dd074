package org.openzoep.xmpp.session;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the per-account
 * ordering of callbacks without a thread per account. A task that throws is logged and the next
 * one runs.
 *
 * <p>Thread: safe; tasks run on the underlying executor's threads.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor executor;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(4);
    private boolean running;

    public SerialExecutor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        for (int n = 0; ; n++) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null || n == 64) {
                    if (next != null) {
                        tasks.addFirst(next);
                        executor.execute(this::drain); // let other accounts' callbacks run
                    } else {
                        running = false;
                    }
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("application callback failed: {}", e.toString());
                LOG.debug("application callback failed", e);
            }
        }
    }
}
