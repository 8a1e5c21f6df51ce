package dev.trafficmirror.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Everything the demo observes while it runs, from the services' access logs and the load
 * generator, in totals, for the summary. Memory is bounded whatever the rate: fixed-size
 * histograms. The report's charts over time come from the mirror itself ({@code MirrorReport}),
 * sampled every {@link #bucketNanos interval}.
 */
final class DemoRecording {

    static final int MAX_BUCKETS = 120;
    private static final int MAX_EXAMPLES = 3;
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final Traffic v1;
    private final Traffic v2;
    private final Traffic control;
    private final Histogram userRoundTrips = new Histogram(HIGHEST_MICROS, 3);
    private final SortedMap<Integer, Long> userStatuses = new TreeMap<>();
    private final SortedMap<String, Long> userFailures = new TreeMap<>();
    private long sent;
    private volatile long startNanos;
    private long endNanos;

    DemoRecording() {
        this.v1 = new Traffic(ReviewsService.Version.V1.serviceName());
        this.v2 = new Traffic(ReviewsService.Version.V2.serviceName());
        this.control = new Traffic(ReviewsDemo.CONTROL);
        this.startNanos = System.nanoTime();
    }

    /**
     * The report's interval: one per second, wider for runs over two minutes (at most
     * {@value #MAX_BUCKETS} intervals), narrower for runs under ten seconds (at least ten).
     */
    static long bucketNanos(Duration duration) {
        long nanos = Math.max(1, duration.toNanos());
        return Math.max((nanos + MAX_BUCKETS - 1) / MAX_BUCKETS, Math.min(TimeUnit.SECONDS.toNanos(1), nanos / 10));
    }

    /** Time zero of the run: the load starts now. */
    void start() {
        startNanos = System.nanoTime();
    }

    /** The load is over. */
    synchronized void stop() {
        endNanos = System.nanoTime();
    }

    /** Seconds from time zero to {@code nanos}. */
    double secondsAt(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    synchronized void served(AccessLogEntry entry) {
        Traffic traffic = entry.service().equals(v1.name) ? v1 : entry.service().equals(v2.name) ? v2 : control;
        traffic.record(entry);
    }

    synchronized void sent() {
        sent++;
    }

    synchronized void answered(int status, long nanos) {
        userStatuses.merge(status, 1L, Long::sum);
        userRoundTrips.recordValue(micros(nanos));
    }

    synchronized void failed(Throwable failure) {
        userFailures.merge(failure.getClass().getSimpleName(), 1L, Long::sum);
    }

    synchronized Duration elapsed() {
        return Duration.ofNanos((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos);
    }

    synchronized UserTraffic users() {
        return new UserTraffic(sent, new TreeMap<>(userStatuses), new TreeMap<>(userFailures),
                LatencyStats.ofMicros(userRoundTrips));
    }

    synchronized ServiceSummary v1() {
        return v1.summary();
    }

    synchronized ServiceSummary v2() {
        return v2.summary();
    }

    synchronized ServiceSummary control() {
        return control.summary();
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /** One service's counts and latencies. */
    private static final class Traffic {
        private final String name;
        private final SortedMap<Integer, Long> statuses = new TreeMap<>();
        private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        private final Map<String, ErrorCounts> errors = new LinkedHashMap<>();

        Traffic(String name) {
            this.name = name;
        }

        void record(AccessLogEntry entry) {
            statuses.merge(entry.status(), 1L, Long::sum);
            latency.recordValue(micros(entry.nanos()));
            if (entry.status() >= 400) {
                errors.computeIfAbsent(entry.status() + " " + entry.error(),
                        key -> new ErrorCounts(entry.status(), entry.error())).add(entry);
            }
        }

        ServiceSummary summary() {
            List<ServiceSummary.ErrorGroup> groups = new ArrayList<>();
            errors.values().forEach(counts -> groups.add(counts.group()));
            groups.sort((a, b) -> Long.compare(b.count(), a.count()));
            return new ServiceSummary(name, new TreeMap<>(statuses), LatencyStats.ofMicros(latency), List.copyOf(groups));
        }
    }

    /** Count and first examples of one kind of error. */
    private static final class ErrorCounts {
        private final int status;
        private final String message;
        private final List<String> examples = new ArrayList<>(MAX_EXAMPLES);
        private long count;

        ErrorCounts(int status, String message) {
            this.status = status;
            this.message = message;
        }

        void add(AccessLogEntry entry) {
            count++;
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(entry.method() + " " + entry.path() + " id=" + entry.id());
            }
        }

        ServiceSummary.ErrorGroup group() {
            return new ServiceSummary.ErrorGroup(status, message, count, List.copyOf(examples));
        }
    }
}
