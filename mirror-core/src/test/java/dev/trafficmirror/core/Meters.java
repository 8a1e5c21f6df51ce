package dev.trafficmirror.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads mirror counters in tests. */
final class Meters {

    private Meters() {
    }

    static double count(MeterRegistry registry, String target, Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", target).tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }
}
