package dev.trafficmirror.core;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where comparisons run: one daemon thread ({@code trafficmirror-compare}) with a bounded queue, so
 * that comparing never holds up the I/O thread that received the answer, nor any sender. When the
 * queue is full a comparison is not made (counted {@code skipped}), never waited for: comparing every
 * request must not turn into blocked threads.
 */
final class CompareExecutor {

    /** Comparisons that may wait; each holds a shadow's captured answer (up to the capture limit). */
    static final int QUEUE_CAPACITY = 256;

    private final ThreadPoolExecutor executor;

    /** @param queueCapacity how many comparisons may wait for the thread */
    CompareExecutor(int queueCapacity) {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                task -> {
                    Thread thread = new Thread(task, "trafficmirror-compare");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Queues a comparison; {@code false} (and nothing queued) when the queue is full or closed. */
    boolean tryRun(Runnable comparison) {
        try {
            executor.execute(comparison);
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** Stops the thread; comparisons still queued are dropped with their copies, which close() counted. */
    void close() {
        executor.shutdownNow();
    }
}
