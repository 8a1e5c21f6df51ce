package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One target's running summary: result counts, the fields that differ most, and latency over a
 * window of recent comparisons. Bounded: a fixed number of distinct fields and latency samples.
 */
final class TargetStatistics {

    /** Distinct fields counted; more are pooled, so a document with ever-new keys stays bounded. */
    static final int MAX_FIELDS = 256;

    private record Field(String path, Difference.Kind kind) {
    }

    private final String target;
    private final boolean control;
    private final int topFields;
    private final long[] results = new long[ComparisonResult.values().length];
    private final Map<Field, long[]> fields = new HashMap<>();
    private final long[] primaryNanos;
    private final long[] shadowNanos;
    private long noise;
    private int next;
    private int samples;

    TargetStatistics(String target, boolean control, int topFields, int latencySamples) {
        this.target = target;
        this.control = control;
        this.topFields = topFields;
        this.primaryNanos = new long[latencySamples];
        this.shadowNanos = new long[latencySamples];
    }

    /** @param reported every difference reported (not only those the comparison keeps) */
    synchronized void record(Comparison comparison, List<Difference> reported) {
        results[comparison.result().ordinal()]++;
        noise += comparison.noise();
        Set<Field> counted = new HashSet<>();
        for (Difference difference : reported) {
            Field field = new Field(FieldPath.normalize(difference.path()), difference.kind());
            if (counted.add(field)) {
                long[] count = fields.get(field);
                if (count == null && fields.size() < MAX_FIELDS) {
                    count = new long[1];
                    fields.put(field, count);
                }
                if (count != null) {
                    count[0]++;
                }
            }
        }
        primaryNanos[next] = comparison.primaryLatency().toNanos();
        shadowNanos[next] = comparison.shadowLatency().toNanos();
        next = (next + 1) % primaryNanos.length;
        samples = Math.min(samples + 1, primaryNanos.length);
    }

    /** One answer not compared: comparisons were behind. */
    synchronized void skipped() {
        results[ComparisonResult.SKIPPED.ordinal()]++;
    }

    synchronized ComparisonSummary.TargetSummary summary() {
        long skipped = results[ComparisonResult.SKIPPED.ordinal()];
        long compared = Arrays.stream(results).sum() - skipped;
        List<ComparisonSummary.FieldCount> top = fields.entrySet().stream()
                .map(e -> new ComparisonSummary.FieldCount(e.getKey().path(), e.getKey().kind(), e.getValue()[0]))
                .sorted(Comparator.comparingLong(ComparisonSummary.FieldCount::count).reversed()
                        .thenComparing(ComparisonSummary.FieldCount::path))
                .limit(topFields)
                .toList();
        return new ComparisonSummary.TargetSummary(target, control, compared,
                results[ComparisonResult.MATCH.ordinal()], results[ComparisonResult.MISMATCH.ordinal()],
                results[ComparisonResult.NOT_COMPARABLE.ordinal()], results[ComparisonResult.ERROR.ordinal()],
                skipped, noise, top, latency(primaryNanos), latency(shadowNanos));
    }

    private ComparisonSummary.Latency latency(long[] window) {
        if (samples == 0) {
            return ComparisonSummary.Latency.NONE;
        }
        long[] sorted = Arrays.copyOf(window, samples);
        Arrays.sort(sorted);
        return new ComparisonSummary.Latency(samples, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
                Duration.ofNanos(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile. */
    private static Duration rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, index))]);
    }
}
