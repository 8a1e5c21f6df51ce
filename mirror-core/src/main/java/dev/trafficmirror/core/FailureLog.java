package dev.trafficmirror.core;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports one target's failed copies at most once per interval, as one line that says how many
 * failures of each reason it stands for, so that a dead shadow under heavy traffic writes a line
 * every few seconds instead of one per request. The first failure is reported at once.
 */
final class FailureLog {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final String target;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Consumer<String> out;
    private final Map<Reason, LongAdder> unreported = new EnumMap<>(Reason.class);
    private final AtomicLong nextReportAt;
    private final AtomicReference<Throwable> latest = new AtomicReference<>();

    FailureLog(String target, Duration interval, LongSupplier nanoClock, Consumer<String> out) {
        this.target = target;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.out = out;
        this.nextReportAt = new AtomicLong(nanoClock.getAsLong());
        for (Reason reason : Reason.values()) {
            if (reason.outcome() == Outcome.FAILED || reason == Reason.INVALID_REQUEST || reason == Reason.DISK_FULL
                    || reason == Reason.BUFFER_FULL || reason == Reason.BROKER_UNAVAILABLE) {
                unreported.put(reason, new LongAdder());
            }
        }
    }

    /** Counts a failure; writes a line if none was written in the last interval. */
    void failed(Reason reason, Throwable failure) {
        LongAdder count = unreported.get(reason);
        if (count == null) {
            return;
        }
        count.increment();
        latest.set(failure);
        long now = nanoClock.getAsLong();
        long due = nextReportAt.get();
        if (now - due >= 0 && nextReportAt.compareAndSet(due, now + intervalNanos)) {
            report("failing");
        }
    }

    /** Writes what has not been reported yet, if anything; for when the mirror closes. */
    void flush() {
        report("failed before closing");
    }

    private void report(String verb) {
        long total = 0;
        StringJoiner byReason = new StringJoiner(", ");
        for (Map.Entry<Reason, LongAdder> entry : unreported.entrySet()) {
            // Each cell is read and zeroed atomically: a concurrent failure lands in this report or the next.
            long count = entry.getValue().sumThenReset();
            if (count > 0) {
                total += count;
                byReason.add(entry.getKey().tag() + "=" + count);
            }
        }
        if (total == 0) {
            return;
        }
        Throwable last = latest.get();
        out.accept("Mirror to target '" + target + "' " + verb + ": " + total + " failed cop" + (total == 1 ? "y" : "ies")
                + " (" + byReason + ") since the last report; latest: " + last
                + "; next report in " + intervalNanos / 1_000_000 + " ms at the earliest");
    }
}
