package dev.trafficmirror.bench.bakeoff;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bound and the counts the other clients share (trafficmirror has its own): at most
 * {@link CopySender#MAX_IN_FLIGHT} + {@link CopySender#MAX_QUEUED} copies outstanding, the next
 * one dropped and counted on the request thread, never waited for. The clients' own queues are
 * unbounded (OkHttp, Apache) or bounded elsewhere (Jetty), so this is what keeps them alike.
 */
final class Tally {

    private final AtomicInteger outstanding = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>("");
    private final Map<String, LongAdder> failuresByType = new ConcurrentHashMap<>();

    /** Whether there is room for one more copy; if not it is counted as dropped. */
    boolean admit() {
        if (outstanding.incrementAndGet() > CopySender.MAX_IN_FLIGHT + CopySender.MAX_QUEUED) {
            outstanding.decrementAndGet();
            dropped.increment();
            return false;
        }
        return true;
    }

    /** The shadow answered, whatever the status. */
    void completed() {
        completed.increment();
        outstanding.decrementAndGet();
    }

    void failed(Throwable failure) {
        firstFailure.compareAndSet("", describe(failure));
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        failuresByType.computeIfAbsent(cause.getClass().getSimpleName(), type -> new LongAdder()).increment();
        failed.increment();
        outstanding.decrementAndGet();
    }

    /** An admitted copy that the client refused at once (its own queue full): dropped, not failed. */
    void refused() {
        dropped.increment();
        outstanding.decrementAndGet();
    }

    CopySender.Counts counts() {
        Map<String, Long> byType = new TreeMap<>();
        failuresByType.forEach((type, count) -> byType.put(type, count.sum()));
        return new CopySender.Counts(completed.sum(), failed.sum(), dropped.sum(), outstanding.get(),
                CopySender.Counts.failures(byType, firstFailure.get()));
    }

    /** The failure and its causes, class and message, on one line. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            text.append(text.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ")
                    .append(t.getMessage());
        }
        return text.toString().replaceAll("\\s+", " ");
    }
}
