package dev.trafficmirror.report;

import dev.trafficmirror.core.Mirror;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror's totals taken every interval on a daemon thread of its own, the last {@code points}
 * of them kept: memory is bounded however long the application runs. The first sample is taken at
 * once, so a report opened a moment later already has an interval to draw.
 */
final class History implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(History.class);

    private final Mirror mirror;
    private final MeterRegistry registry;
    private final Clock clock;
    private final int points;
    private final ArrayDeque<Sample> samples;
    private final ScheduledExecutorService sampler;

    History(Mirror mirror, MeterRegistry registry, Clock clock, Duration interval, int points) {
        this.mirror = mirror;
        this.registry = registry;
        this.clock = clock;
        this.points = points;
        this.samples = new ArrayDeque<>(points);
        record();
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mirror-report-history");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = interval.toNanos();
        sampler.scheduleAtFixedRate(this::record, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** The samples kept, oldest first, then one taken now. */
    List<Sample> samplesAndNow() {
        Sample now = Sample.take(mirror, registry, clock.instant());
        synchronized (samples) {
            List<Sample> all = new ArrayList<>(samples);
            all.add(now);
            return all;
        }
    }

    private void record() {
        try {
            Sample sample = Sample.take(mirror, registry, clock.instant());
            synchronized (samples) {
                if (samples.size() == points) {
                    samples.removeFirst();
                }
                samples.addLast(sample);
            }
        } catch (RuntimeException e) {
            // A failing sample must not end the schedule; the next one is taken as usual.
            log.warn("could not sample the mirror for its report: {}", e.toString());
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
