package dev.trafficmirror.report;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.compare.ComparisonSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The mirror's running totals at one instant, per target: what the charts over time subtract from
 * one another.
 *
 * @param time when it was taken
 * @param targets by target name, in the order configured
 */
record Sample(Instant time, Map<String, Target> targets) {

    static final String DURATION_METER = "mirror.shadow.duration";

    /**
     * One target's totals.
     *
     * @param outcomes requests by outcome, every outcome present
     * @param statusClasses answers by status class ({@code 2xx}...), from {@code mirror.shadow.duration}
     * @param answered answers timed by {@code mirror.shadow.duration}
     * @param answerMillis their total time
     * @param mismatches comparisons that found a difference
     * @param compared comparisons made
     */
    record Target(Map<Outcome, Long> outcomes, SortedMap<String, Long> statusClasses, long answered,
            double answerMillis, long mismatches, long compared) {

        long count(Outcome outcome) {
            return outcomes.getOrDefault(outcome, 0L);
        }

        long serverErrors() {
            return statusClasses.getOrDefault("5xx", 0L);
        }
    }

    /** The totals now; the registry, when not {@code null}, adds status classes and round trips. */
    static Sample take(Mirror mirror, MeterRegistry registry, Instant now) {
        ComparisonSummary comparisons = mirror.comparisons();
        Map<String, Target> targets = new LinkedHashMap<>();
        for (TargetStats stats : mirror.stats()) {
            String name = stats.target().name();
            Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                outcomes.put(outcome, stats.count(outcome));
            }
            SortedMap<String, Long> statusClasses = new TreeMap<>();
            long answered = 0;
            double millis = 0;
            if (registry != null) {
                for (Timer timer : registry.find(DURATION_METER).tag("mirror", mirror.name()).tag("target", name).timers()) {
                    if (timer.count() > 0) {
                        statusClasses.merge(String.valueOf(timer.getId().getTag("status")), timer.count(), Long::sum);
                        answered += timer.count();
                        millis += timer.totalTime(TimeUnit.MILLISECONDS);
                    }
                }
            }
            ComparisonSummary.TargetSummary compared = comparisons.target(name);
            targets.put(name, new Target(outcomes, statusClasses, answered, millis,
                    compared == null ? 0 : compared.mismatches(), compared == null ? 0 : compared.compared()));
        }
        return new Sample(now, targets);
    }

    /** Seconds from {@code earlier} to this sample. */
    double secondsSince(Sample earlier) {
        return Duration.between(earlier.time, time).toNanos() / 1e9;
    }
}
