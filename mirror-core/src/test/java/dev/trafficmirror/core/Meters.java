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

    public static double count(MeterRegistry registry, String target, Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", target).tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }
}
