package dev.trafficmirror.replay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code mirror.shadow.duration} says of one target: its answers by status class and the mean
 * round trip, the view a live mirror's operator has.
 */
record ShadowTimes(SortedMap<String, Long> statusClasses, double meanRoundTripMillis) {

    static ShadowTimes read(MeterRegistry registry, String target) {
        SortedMap<String, Long> classes = new TreeMap<>();
        double totalMillis = 0;
        long answered = 0;
        for (Timer timer : registry.find("mirror.shadow.duration").tag("target", target).timers()) {
            if (timer.count() > 0) {
                classes.merge(timer.getId().getTag("status"), timer.count(), Long::sum);
                totalMillis += timer.totalTime(TimeUnit.MILLISECONDS);
                answered += timer.count();
            }
        }
        return new ShadowTimes(classes, answered == 0 ? 0 : totalMillis / answered);
    }
}
