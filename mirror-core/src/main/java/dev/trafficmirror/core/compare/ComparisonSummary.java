package dev.trafficmirror.core.compare;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the comparisons so far say: per target, how many answers matched, mismatched or could not be
 * compared, which fields differ most and how fast each side was; the most recent mismatches; and
 * the noise the control target revealed. A snapshot: it does not change afterwards.
 * {@link #toString()} renders it for people.
 *
 * @param targets one summary per compared target, in the order configured
 * @param recentMismatches the most recent mismatches of candidate targets, newest first
 * @param noise the fields in which the primary and the control differed, noisiest first, each
 *     with the number of control comparisons it differed in
 * @param json how JSON bodies are compared: field by field, with which Jackson, or as whole bodies
 */
public record ComparisonSummary(List<TargetSummary> targets, List<Comparison> recentMismatches, List<FieldCount> noise,
        JsonComparison json) {

    /** Copies the lists. */
    public ComparisonSummary {
        targets = List.copyOf(targets);
        recentMismatches = List.copyOf(recentMismatches);
        noise = List.copyOf(noise);
        Objects.requireNonNull(json, "json");
    }

    /** The summary of a mirror that compares nothing, on this class path. */
    public static ComparisonSummary empty() {
        return new ComparisonSummary(List.of(), List.of(), List.of(), JsonComparison.available());
    }

    /** The summary of one target, or {@code null} if it is not compared. */
    public TargetSummary target(String name) {
        return targets.stream().filter(t -> t.target().equals(name)).findFirst().orElse(null);
    }

    /**
     * One target's comparisons.
     *
     * @param target the target's name
     * @param control whether it is the control target (its differences are the noise)
     * @param compared answers compared: the sum of the four results
     * @param matches answers that matched
     * @param mismatches answers with at least one reported difference
     * @param notComparable answers that could not be compared (a body over the capture limit...)
     * @param errors comparisons that failed
     * @param skipped answers not compared because comparisons were behind (not counted in {@code compared})
     * @param noise differences set aside as noise
     * @param topFields the fields reported most often, each with the number of mismatches it was in
     * @param primaryLatency the primary's latency over the recent comparisons
     * @param shadowLatency this target's latency over the same comparisons
     */
    public record TargetSummary(String target, boolean control, long compared, long matches, long mismatches,
            long notComparable, long errors, long skipped, long noise, List<FieldCount> topFields, Latency primaryLatency,
            Latency shadowLatency) {

        /** Copies the list. */
        public TargetSummary {
            topFields = List.copyOf(topFields);
        }
    }

    /**
     * How often a field differed.
     *
     * @param path the field with array indices written {@code [*]}, e.g. {@code $.items[*].price},
     *     or {@code status}, {@code header:etag}, {@code body}
     * @param kind how it differed; {@code null} in the noise list, which counts every kind
     * @param count in how many comparisons
     */
    public record FieldCount(String path, Difference.Kind kind, long count) {
    }

    /**
     * Latency percentiles over a window of recent comparisons.
     *
     * @param samples how many comparisons the window holds
     */
    public record Latency(int samples, Duration p50, Duration p90, Duration p99, Duration max) {

        /** No latency seen yet. */
        public static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  max %s", millis(p50), millis(p90), millis(p99), millis(max));
        }

        private static String millis(Duration d) {
            return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (targets.isEmpty()) {
            return "No target compares its answers.\n";
        }
        for (TargetSummary t : targets) {
            out.append(String.format(Locale.ROOT, "target %s%s: %d compared: %d match, %d mismatch, %d not comparable, %d error",
                    t.target(), t.control() ? " (control)" : "", t.compared(), t.matches(), t.mismatches(),
                    t.notComparable(), t.errors()));
            if (!t.control()) {
                out.append(String.format(Locale.ROOT, "; %d difference(s) set aside as noise", t.noise()));
            }
            out.append('\n');
            if (!t.topFields().isEmpty()) {
                out.append(t.control() ? "  differing fields (noise):\n" : "  top differing fields:\n");
                int width = t.topFields().stream().mapToInt(f -> f.path().length()).max().orElse(0);
                for (FieldCount field : t.topFields()) {
                    out.append(String.format(Locale.ROOT, "    %-" + width + "s  %-8s %d%n", field.path(),
                            field.kind().name().toLowerCase(Locale.ROOT), field.count()));
                }
            }
            out.append(String.format(Locale.ROOT, "  primary latency: %s (last %d)%n", t.primaryLatency(), t.primaryLatency().samples()));
            out.append(String.format(Locale.ROOT, "  shadow latency:  %s%n", t.shadowLatency()));
        }
        if (!json.byField()) {
            out.append("JSON bodies compared as whole bodies: ").append(JsonComparison.WHOLE_BODIES_WARNING).append('\n');
        }
        if (!noise.isEmpty()) {
            out.append("noise (fields where the primary and the control differ):");
            for (FieldCount field : noise) {
                out.append(' ').append(field.path()).append(" (").append(field.count()).append(')');
            }
            out.append('\n');
        }
        if (!recentMismatches.isEmpty()) {
            out.append("recent mismatches (newest first):\n");
            recentMismatches.stream().limit(5).forEach(m -> out.append("  ").append(m).append('\n'));
            if (recentMismatches.size() > 5) {
                out.append("  ... ").append(recentMismatches.size() - 5).append(" more kept\n");
            }
        }
        return out.toString();
    }
}
