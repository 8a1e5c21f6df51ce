package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.ComparisonSummary.FieldCount;
import dev.trafficmirror.core.compare.ComparisonSummary.Latency;
import dev.trafficmirror.core.compare.ComparisonSummary.TargetSummary;
import dev.trafficmirror.core.compare.Difference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code comparisons} section of the {@code mirror} endpoint: {@link Mirror#comparisons()} as
 * maps of strings, numbers and lists, and how JSON bodies are compared ({@code json}). Latencies are milliseconds, times ISO-8601 strings and kinds
 * lower case, so the JSON is the same whatever Jackson and its configuration (Spring Boot 3.5's
 * endpoint mapper writes a {@code Duration} as {@code "PT0.000213S"}, and one without the JSR-310
 * module fails on it). The values of differences are left out unless {@code showValues}: they are
 * excerpts of response data. To keep the endpoint small, it lists the {@value #SHOWN_MISMATCHES}
 * most recent mismatches with at most {@value #SHOWN_DIFFERENCES} differences each;
 * {@link Mirror#comparisons()} keeps {@code mirror.compare.recent-mismatches} of them, whole.
 */
final class ComparisonsSection implements MirrorEndpointSection {

    static final String NAME = "comparisons";
    /** Recent mismatches listed. */
    static final int SHOWN_MISMATCHES = 5;
    /** Differences listed per mismatch; {@code differenceCount} counts all. */
    static final int SHOWN_DIFFERENCES = 10;

    private final Mirror mirror;
    private final boolean showValues;

    ComparisonsSection(Mirror mirror, boolean showValues) {
        this.mirror = Objects.requireNonNull(mirror, "mirror");
        this.showValues = showValues;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> content() {
        ComparisonSummary summary = mirror.comparisons();
        Map<String, Object> view = new LinkedHashMap<>();
        // jackson_3, jackson_2, or whole_bodies when no Jackson can read JSON bodies field by field.
        view.put("json", summary.json().tag());
        view.put("targets", summary.targets().stream().map(ComparisonsSection::target).toList());
        view.put("noise", summary.noise().stream().map(ComparisonsSection::field).toList());
        view.put("recentMismatches", summary.recentMismatches().stream().limit(SHOWN_MISMATCHES).map(this::mismatch)
                .toList());
        return view;
    }

    private static Map<String, Object> target(TargetSummary target) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", target.target());
        view.put("control", target.control());
        view.put("compared", target.compared());
        // Keyed by the result tag of mirror.compare, as the targets' outcomes are by theirs.
        Map<String, Long> results = new LinkedHashMap<>();
        results.put(ComparisonResult.MATCH.tag(), target.matches());
        results.put(ComparisonResult.MISMATCH.tag(), target.mismatches());
        results.put(ComparisonResult.NOT_COMPARABLE.tag(), target.notComparable());
        results.put(ComparisonResult.ERROR.tag(), target.errors());
        view.put("results", results);
        view.put("noise", target.noise());
        view.put("topFields", target.topFields().stream().map(ComparisonsSection::field).toList());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("samples", target.primaryLatency().samples());
        latency.put("primaryMillis", percentiles(target.primaryLatency()));
        latency.put("shadowMillis", percentiles(target.shadowLatency()));
        view.put("latency", latency);
        return view;
    }

    /** A field and its count; the noise list has no kind. */
    private static Map<String, Object> field(FieldCount field) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("path", field.path());
        if (field.kind() != null) {
            view.put("kind", kind(field.kind()));
        }
        view.put("count", field.count());
        return view;
    }

    private static Map<String, Double> percentiles(Latency latency) {
        Map<String, Double> view = new LinkedHashMap<>();
        view.put("p50", millis(latency.p50()));
        view.put("p90", millis(latency.p90()));
        view.put("p99", millis(latency.p99()));
        view.put("max", millis(latency.max()));
        return view;
    }

    private Map<String, Object> mismatch(Comparison comparison) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("time", comparison.time().toString());
        view.put("target", comparison.target());
        view.put("method", comparison.method());
        view.put("path", comparison.path());
        view.put("mirrorId", comparison.mirrorId());
        view.put("result", comparison.result().tag());
        view.put("primaryStatus", comparison.primaryStatus());
        view.put("shadowStatus", comparison.shadowStatus());
        view.put("primaryMillis", millis(comparison.primaryLatency()));
        view.put("shadowMillis", millis(comparison.shadowLatency()));
        view.put("differenceCount", comparison.differenceCount());
        view.put("noise", comparison.noise());
        view.put("differences", comparison.differences().stream().limit(SHOWN_DIFFERENCES).map(this::difference)
                .toList());
        if (comparison.note() != null) {
            view.put("note", comparison.note());
        }
        return view;
    }

    private Map<String, Object> difference(Difference difference) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("path", difference.path());
        view.put("kind", kind(difference.kind()));
        if (showValues) {
            if (difference.primary() != null) {
                view.put("primary", difference.primary());
            }
            if (difference.shadow() != null) {
                view.put("shadow", difference.shadow());
            }
        }
        return view;
    }

    private static String kind(Difference.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Milliseconds to the microsecond. */
    private static double millis(Duration duration) {
        return duration == null ? 0.0 : Math.round(duration.toNanos() / 1_000.0) / 1_000.0;
    }
}
