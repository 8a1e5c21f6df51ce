package dev.trafficmirror.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one target, registered up front so that every outcome and reason shows (at zero)
 * before it first happens, and so that counting costs no registry look-up.
 */
final class TargetMeters {

    static final String REQUESTS = "mirror.requests";
    static final String DURATION = "mirror.shadow.duration";

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    private final Timer[] durations = new Timer[6];

    TargetMeters(MeterRegistry registry, String target) {
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder(REQUESTS)
                    .description("Mirrored copies by target, outcome and reason")
                    .tag("target", target)
                    .tag("outcome", reason.outcome().tag())
                    .tag("reason", reason.tag())
                    .register(registry));
        }
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            durations[statusClass] = Timer.builder(DURATION)
                    .description("Time until the shadow answered, by target and status class")
                    .tag("target", target)
                    .tag("status", statusClass + "xx")
                    .register(registry);
        }
    }

    void count(Reason reason) {
        counters.get(reason).increment();
    }

    void answered(int status, long nanos) {
        int statusClass = status / 100;
        durations[statusClass >= 1 && statusClass <= 5 ? statusClass : 5].record(nanos, TimeUnit.NANOSECONDS);
        counters.get(Reason.NONE).increment();
    }
}
