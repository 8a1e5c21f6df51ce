package dev.trafficmirror.core;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;

/** Reads mirror counters in tests. */
public final class Meters {

    private Meters() {
    }

    /** Waits for something the mirror's threads do within milliseconds, checking every millisecond. */
    public static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    /** The copies counted for a target, whatever their outcome and reason. */
    public static double total(MeterRegistry registry, String target) {
        double total = 0;
        for (Reason reason : Reason.values()) {
            total += count(registry, target, reason);
        }
        return total;
    }

    /** What a target counted, from the mirror's own counts (which a closed mirror keeps). */
    public static double counted(Mirror mirror, String target, Reason reason) {
        return stats(mirror, target).count(reason);
    }

    /** Every request a target counted, from the mirror's own counts. */
    public static double counted(Mirror mirror, String target) {
        return stats(mirror, target).requests();
    }

    private static TargetStats stats(Mirror mirror, String target) {
        return mirror.stats().stream().filter(stats -> stats.target().name().equals(target)).findFirst().orElseThrow();
    }

    public static double count(MeterRegistry registry, String target, Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", target).tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }
}
