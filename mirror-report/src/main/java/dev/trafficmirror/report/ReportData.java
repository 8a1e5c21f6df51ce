package dev.trafficmirror.report;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.compare.ComparisonSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything one rendering of the report shows, read from the mirror at one instant: the page is
 * drawn from this alone, so that tests can draw any content, hostile values included.
 *
 * @param title the heading
 * @param description the paragraph under it, or {@code null}
 * @param primaryName what the traffic graph calls the mirrored application
 * @param generatedAt when the mirror was read
 * @param enabled whether mirroring is on
 * @param showValues whether the values of differences are shown
 * @param timed whether status classes and round trips were read from a registry
 * @param targets every target, in the order configured
 * @param comparisons the mirror's comparison results
 * @param timeline the charts over time
 */
record ReportData(String title, String description, String primaryName, Instant generatedAt, boolean enabled,
        boolean showValues, boolean timed, List<TargetView> targets, ComparisonSummary comparisons, Timeline timeline) {

    /** How many of a target's most frequent differences the verdict names. */
    static final int VERDICT_FIELDS = 3;

    /** The colours of the targets, in order, then again. */
    static final List<String> COLORS = List.of("#dd6b20", "#805ad5", "#3182ce", "#319795", "#d53f8c", "#975a16");
    static final String CONTROL_COLOR = "#718096";

    /**
     * One target.
     *
     * @param name its name
     * @param url its base URL
     * @param percentage the share it samples now
     * @param compares whether its answers are compared with the primary's
     * @param control whether it is the control
     * @param counts its requests by reason, only those that happened
     * @param outcomes its requests by outcome, every outcome
     * @param statusClasses its answers by status class, when timed
     * @param meanRoundTripMillis the mean of its round trips, when timed
     * @param comparison its comparison results, or {@code null}
     * @param recentFailures its last copies without an answer, newest first
     * @param color its colour in the charts
     */
    record TargetView(String name, String url, double percentage, boolean compares, boolean control,
            SortedMap<String, Long> counts, Map<Outcome, Long> outcomes, SortedMap<String, Long> statusClasses,
            double meanRoundTripMillis, ComparisonSummary.TargetSummary comparison,
            List<dev.trafficmirror.core.MirrorFailure> recentFailures, String color) {

        long count(Outcome outcome) {
            return outcomes.getOrDefault(outcome, 0L);
        }

        /** Copies sent: answered or failed. */
        long sent() {
            return count(Outcome.COMPLETED) + count(Outcome.FAILED);
        }

        long requests() {
            return outcomes.values().stream().mapToLong(Long::longValue).sum();
        }

        long serverErrors() {
            return statusClasses.getOrDefault("5xx", 0L);
        }

        /** 5xx answers and copies without an answer, in percent of the copies sent. */
        double errorPercent() {
            return percent(serverErrors() + count(Outcome.FAILED), sent());
        }

        /** Failed copies by reason, e.g. {@code timeout 3, connect 1}. */
        String failureReasons() {
            return counts.entrySet().stream()
                    .filter(e -> Reason.valueOf(e.getKey().toUpperCase(Locale.ROOT)).outcome() == Outcome.FAILED)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    /**
     * The run cut into equal intervals.
     *
     * @param start the time of the first sample
     * @param bucketSeconds the length of one interval
     * @param series per target, in the order of {@link #targets()}
     */
    record Timeline(Instant start, double bucketSeconds, List<Series> series) {

        int buckets() {
            return series.isEmpty() ? 0 : series.get(0).copiesPerSecond().length;
        }
    }

    /**
     * One target's values per interval; {@code NaN} where there is nothing to say.
     *
     * @param copiesPerSecond copies sent per second
     * @param errors copies that failed, plus 5xx answers when timed
     * @param meanMillis the mean round trip, when timed
     */
    record Series(double[] copiesPerSecond, double[] errors, double[] meanMillis) {
    }

    static ReportData of(Mirror mirror, MeterRegistry registry, List<Sample> samples, Instant now, Duration interval,
            boolean showValues, String title, String description, String primaryName) {
        ComparisonSummary comparisons = mirror.comparisons();
        Sample last = samples.get(samples.size() - 1);
        List<TargetView> targets = new ArrayList<>();
        int colour = 0;
        for (TargetStats stats : mirror.stats()) {
            MirrorTarget target = stats.target();
            SortedMap<String, Long> counts = new TreeMap<>();
            stats.counts().forEach((reason, count) -> {
                if (count > 0) {
                    counts.put(reason.tag(), count);
                }
            });
            Sample.Target totals = last.targets().get(target.name());
            SortedMap<String, Long> statusClasses = totals == null ? new TreeMap<>() : totals.statusClasses();
            double mean = totals == null || totals.answered() == 0 ? Double.NaN : totals.answerMillis() / totals.answered();
            Map<Outcome, Long> outcomes = new java.util.EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                outcomes.put(outcome, stats.count(outcome));
            }
            String color = target.isControl() ? CONTROL_COLOR : COLORS.get(colour++ % COLORS.size());
            targets.add(new TargetView(target.name(), target.url(), stats.percentage(), target.compares(),
                    target.isControl(), counts, outcomes, statusClasses, mean, comparisons.target(target.name()),
                    stats.recentFailures(), color));
        }
        return new ReportData(title, description, primaryName, now, mirror.isEnabled(), showValues, registry != null,
                List.copyOf(targets), comparisons, timeline(samples, targets, interval));
    }

    static Timeline timeline(List<Sample> samples, List<TargetView> targets, Duration interval) {
        int buckets = Math.max(0, samples.size() - 1);
        List<Series> series = new ArrayList<>();
        for (TargetView target : targets) {
            double[] copies = nans(buckets);
            double[] errors = nans(buckets);
            double[] mean = nans(buckets);
            for (int i = 0; i < buckets; i++) {
                Sample.Target before = samples.get(i).targets().get(target.name());
                Sample.Target after = samples.get(i + 1).targets().get(target.name());
                double seconds = samples.get(i + 1).secondsSince(samples.get(i));
                if (before == null || after == null || seconds <= 0) {
                    continue;
                }
                long sent = after.count(Outcome.COMPLETED) + after.count(Outcome.FAILED)
                        - before.count(Outcome.COMPLETED) - before.count(Outcome.FAILED);
                copies[i] = sent / seconds;
                errors[i] = after.count(Outcome.FAILED) - before.count(Outcome.FAILED)
                        + after.serverErrors() - before.serverErrors();
                long answered = after.answered() - before.answered();
                if (answered > 0) {
                    mean[i] = (after.answerMillis() - before.answerMillis()) / answered;
                }
            }
            series.add(new Series(copies, errors, mean));
        }
        return new Timeline(samples.get(0).time(), interval.toNanos() / 1e9, List.copyOf(series));
    }

    private static double[] nans(int length) {
        double[] values = new double[length];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    /**
     * What a candidate target (not the control) did worse than the primary, in plain sentences;
     * empty when nothing was seen. The fields are tabulated below the verdict.
     */
    List<String> findings(TargetView target) {
        List<String> findings = new ArrayList<>();
        if (target.serverErrors() > 0) {
            findings.add(String.format(Locale.ROOT, "%s: %d of %d answers (%.1f%%) were 5xx", target.name(),
                    target.serverErrors(), target.sent(), percent(target.serverErrors(), target.sent())));
        }
        long failed = target.count(Outcome.FAILED);
        if (failed > 0) {
            findings.add(String.format(Locale.ROOT, "%s: %d copies got no answer (%s)", target.name(), failed,
                    target.failureReasons()));
        }
        ComparisonSummary.TargetSummary compared = target.comparison();
        if (compared != null && compared.mismatches() > 0) {
            List<ComparisonSummary.FieldCount> fields = compared.topFields();
            String most = fields.stream().limit(VERDICT_FIELDS).map(f -> describe(f) + " x" + f.count())
                    .collect(Collectors.joining(", "));
            int more = fields.size() - VERDICT_FIELDS;
            findings.add(String.format(Locale.ROOT, "%s: %d of %d answers (%.1f%%) differ from the primary's, noise set"
                            + " aside%s%s", target.name(), compared.mismatches(), compared.compared(),
                    percent(compared.mismatches(), compared.compared()), most.isEmpty() ? "" : "; most often " + most,
                    more > 0 ? String.format(Locale.ROOT, "; %d more field(s) listed below", more)
                            : most.isEmpty() ? "" : " (listed below)"));
            double primary = millis(compared.primaryLatency().p50());
            double shadow = millis(compared.shadowLatency().p50());
            if (compared.shadowLatency().samples() > 0 && shadow > 2 * primary && shadow - primary >= 1.0) {
                findings.add(String.format(Locale.ROOT, "%s is slower: median %.1f ms vs %.1f ms for the primary",
                        target.name(), shadow, primary));
            }
        }
        return findings;
    }

    /** A field the way people read it: {@code $.reviews[*].text removed}. */
    static String describe(ComparisonSummary.FieldCount field) {
        return field.kind() == null ? field.path() : field.path() + " " + kind(field.kind());
    }

    static String kind(dev.trafficmirror.core.compare.Difference.Kind kind) {
        return kind == null ? "" : kind.name().toLowerCase(Locale.ROOT);
    }

    static double millis(Duration duration) {
        return duration == null ? 0 : duration.toNanos() / 1e6;
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
