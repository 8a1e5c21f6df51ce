package dev.trafficmirror.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one target, registered up front so that every outcome and reason shows (at zero)
 * before it first happens, and so that counting costs no registry look-up.
 *
 * <p>Each count is also kept here, so that {@link Mirror#stats()} can report it whatever the
 * registry is (the default global registry counts nothing until a registry is added to it).
 */
final class TargetMeters {

    static final String REQUESTS = "mirror.requests";
    static final String DURATION = "mirror.shadow.duration";

    private static final String[] STATUS_CLASSES = {null, "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    private final LongAdder[] totals = new LongAdder[Reason.values().length];
    private final Timer[] durations = new Timer[6];

    TargetMeters(MirrorMeters meters, String target) {
        for (Reason reason : Reason.values()) {
            counters.put(reason, meters.counter(REQUESTS, "Mirrored copies by target, outcome and reason",
                    Tags.of("target", target, "outcome", reason.outcome().tag(), "reason", reason.tag())));
            totals[reason.ordinal()] = new LongAdder();
        }
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            durations[statusClass] = meters.timer(DURATION, "Time until the shadow answered, by target and status class",
                    Tags.of("target", target, "status", STATUS_CLASSES[statusClass]));
        }
    }

    void count(Reason reason) {
        counters.get(reason).increment();
        totals[reason.ordinal()].increment();
    }

    void answered(int status, long nanos) {
        int statusClass = status / 100;
        durations[statusClass >= 1 && statusClass <= 5 ? statusClass : 5].record(nanos, TimeUnit.NANOSECONDS);
        count(Reason.NONE);
    }

    /**
     * The tag of a shadow's status: {@code 1xx} to {@code 5xx}, and {@code 5xx} for a status beyond
     * them (a shadow answering 600 to 999 is broken), as the duration timers file it.
     */
    static String statusClass(int status) {
        int statusClass = status / 100;
        return STATUS_CLASSES[statusClass >= 1 && statusClass <= 5 ? statusClass : 5];
    }

    /** Every reason with its count so far, zeros included. */
    Map<Reason, Long> counts() {
        Map<Reason, Long> counts = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            counts.put(reason, totals[reason.ordinal()].sum());
        }
        return counts;
    }
}
