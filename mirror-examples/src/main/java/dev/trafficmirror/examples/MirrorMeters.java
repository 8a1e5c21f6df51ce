package dev.trafficmirror.examples;

import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What trafficmirror's own metrics say about one target: the view an operator has in production,
 * where the shadow's logs are usually out of reach.
 *
 * @param outcomes {@code mirror.requests} by outcome
 * @param reasons {@code mirror.requests} by reason, only those that occurred, {@code none} left out
 * @param statusClasses {@code mirror.shadow.duration} counts by status class ({@code 2xx}...), only
 *     those that occurred
 * @param meanRoundTripMillis mean of {@code mirror.shadow.duration}: send to answer, off the request path
 * @param comparisons {@code mirror.compare} by result ({@code match}, {@code mismatch}...); empty
 *     when the target's answers are not compared
 */
record MirrorMeters(String target, Map<Outcome, Long> outcomes, SortedMap<String, Long> reasons,
        SortedMap<String, Long> statusClasses, double meanRoundTripMillis, SortedMap<String, Long> comparisons) {

    static final String COMPARE_METER = "mirror.compare";

    static MirrorMeters read(MeterRegistry registry, String target) {
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, 0L);
        }
        SortedMap<String, Long> reasons = new TreeMap<>();
        for (Counter counter : registry.find("mirror.requests").tag("target", target).counters()) {
            long count = Math.round(counter.count());
            String outcome = counter.getId().getTag("outcome");
            for (Outcome known : Outcome.values()) {
                if (known.tag().equals(outcome)) {
                    outcomes.merge(known, count, Long::sum);
                }
            }
            String reason = counter.getId().getTag("reason");
            if (count > 0 && !Reason.NONE.tag().equals(reason)) {
                reasons.merge(reason, count, Long::sum);
            }
        }
        SortedMap<String, Long> statusClasses = new TreeMap<>();
        double totalMillis = 0;
        long answered = 0;
        for (Timer timer : registry.find("mirror.shadow.duration").tag("target", target).timers()) {
            if (timer.count() > 0) {
                statusClasses.merge(timer.getId().getTag("status"), timer.count(), Long::sum);
                totalMillis += timer.totalTime(TimeUnit.MILLISECONDS);
                answered += timer.count();
            }
        }
        SortedMap<String, Long> comparisons = new TreeMap<>();
        for (Counter counter : registry.find(COMPARE_METER).tag("target", target).counters()) {
            comparisons.merge(counter.getId().getTag("result"), Math.round(counter.count()), Long::sum);
        }
        return new MirrorMeters(target, outcomes, reasons, statusClasses, answered == 0 ? 0 : totalMillis / answered,
                comparisons);
    }

    long count(Outcome outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }

    /** Copies sent to this target: completed (answered) + failed (no answer). */
    long sent() {
        return count(Outcome.COMPLETED) + count(Outcome.FAILED);
    }

    /** Requests the mirror saw for this target: completed + failed + dropped + skipped. */
    long seen() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }
}
