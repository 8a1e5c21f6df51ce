package dev.trafficmirror.core.compare;

import dev.trafficmirror.core.compare.engine.PathPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How shadow answers are compared with the primary's: which headers and JSON fields to leave out,
 * which arrays are unordered, how many recent mismatches to keep and who to tell.
 *
 * <pre>{@code
 * Mirror.builder()
 *     .target(MirrorTarget.of("v2", "http://reviews-v2:9080").compare(true))
 *     .target(MirrorTarget.of("v1-control", "http://reviews-v1-canary:9080").control(true))
 *     .comparison(CompareOptions.builder()
 *         .ignorePaths("$.generatedAt", "$..traceId")
 *         .unorderedArrays("$.tags")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Which targets are compared is a setting of each target ({@code MirrorTarget.compare(true)});
 * these options apply to all of them.
 */
public final class CompareOptions {

    /**
     * Headers that differ between any two servers or any two responses and say nothing about the
     * application: left out unless {@link Builder#ignoredHeaders} replaces them.
     * {@code Content-Encoding} is here because bodies are compared decoded.
     */
    public static final Set<String> DEFAULT_IGNORED_HEADERS = Set.of("date", "server", "content-length",
            "transfer-encoding", "connection", "keep-alive", "content-encoding", "x-request-id", "x-mirror-id",
            "set-cookie", "expires", "age");

    private final Set<String> ignoredHeaders;
    private final List<String> ignoredPaths;
    private final List<String> unorderedArrays;
    private final int recentMismatches;
    private final int topFields;
    private final int latencySamples;
    private final int maxDecodedBodySize;
    private final Duration logInterval;
    private final int noiseMinimumSamples;
    private final double noiseRelativeThreshold;
    private final double noiseAbsoluteThreshold;
    private final List<ComparisonListener> listeners;

    private CompareOptions(Builder builder) {
        this.ignoredHeaders = Set.copyOf(builder.ignoredHeaders);
        this.ignoredPaths = parse(builder.ignoredPaths, "ignorePaths");
        this.unorderedArrays = parse(builder.unorderedArrays, "unorderedArrays");
        this.recentMismatches = builder.recentMismatches;
        this.topFields = builder.topFields;
        this.latencySamples = builder.latencySamples;
        this.maxDecodedBodySize = builder.maxDecodedBodySize;
        this.logInterval = builder.logInterval;
        this.noiseMinimumSamples = builder.noiseMinimumSamples;
        this.noiseRelativeThreshold = builder.noiseRelativeThreshold;
        this.noiseAbsoluteThreshold = builder.noiseAbsoluteThreshold;
        this.listeners = List.copyOf(builder.listeners);
    }

    /** The patterns, each checked by parsing it as the comparison will. */
    private static List<String> parse(Collection<String> patterns, String setting) {
        List<String> parsed = new ArrayList<>(patterns.size());
        for (String pattern : patterns) {
            try {
                parsed.add(PathPattern.parse(pattern).toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + ": " + e.getMessage()
                        + "; a path looks like $.field, $.list[2].field, $.list[*].field, $.*, $..field or $['odd.key']", e);
            }
        }
        return List.copyOf(parsed);
    }

    /** Options with every default: default ignored headers, no ignored paths, ordered arrays. */
    public static CompareOptions defaults() {
        return builder().build();
    }

    /** Starts configuring comparisons. */
    public static Builder builder() {
        return new Builder();
    }

    /** Header names left out, in lower case. */
    public Set<String> ignoredHeaders() {
        return ignoredHeaders;
    }

    /** The JSON path patterns left out. */
    public List<String> ignoredPaths() {
        return ignoredPaths;
    }

    /** The JSON path patterns of arrays compared without regard to order. */
    public List<String> unorderedArrays() {
        return unorderedArrays;
    }

    /** How many recent mismatches are kept for {@code Mirror.comparisons()}. */
    public int recentMismatches() {
        return recentMismatches;
    }

    /** How many of the most frequent differing fields each target's summary lists. */
    public int topFields() {
        return topFields;
    }

    /** How many recent comparisons per target the latency percentiles are computed over. */
    public int latencySamples() {
        return latencySamples;
    }

    /** The largest body, once gzip or deflate is decoded, that is compared. */
    public int maxDecodedBodySize() {
        return maxDecodedBodySize;
    }

    /** At most one mismatch log line per target per this interval. */
    public Duration logInterval() {
        return logInterval;
    }

    /** Who is told of every comparison. */
    public List<ComparisonListener> listeners() {
        return listeners;
    }

    /** Control comparisons an endpoint needs before a field can be noise there by its rates. */
    public int noiseMinimumSamples() {
        return noiseMinimumSamples;
    }

    /** Percent of {@code k + c} by which a candidate's rate {@code k} must exceed the control's {@code c}. */
    public double noiseRelativeThreshold() {
        return noiseRelativeThreshold;
    }

    /** Percentage points by which a candidate's rate must exceed the control's. */
    public double noiseAbsoluteThreshold() {
        return noiseAbsoluteThreshold;
    }


    /** Configures {@link CompareOptions}; every setting has a default. */
    public static final class Builder {
        private final Set<String> ignoredHeaders = new LinkedHashSet<>(DEFAULT_IGNORED_HEADERS);
        private final List<String> ignoredPaths = new ArrayList<>();
        private final List<String> unorderedArrays = new ArrayList<>();
        private int recentMismatches = 100;
        private int topFields = 10;
        private int latencySamples = 1024;
        private int maxDecodedBodySize = 1 << 20;
        private Duration logInterval = Duration.ofSeconds(10);
        private int noiseMinimumSamples = 10;
        private double noiseRelativeThreshold = 20;
        private double noiseAbsoluteThreshold = 0.03;
        private final List<ComparisonListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Leaves these headers out too (case-insensitive), on top of those already left out. */
        public Builder ignoreHeaders(String... names) {
            for (String name : names) {
                ignoredHeaders.add(headerName(name));
            }
            return this;
        }

        /** Leaves out exactly these headers, replacing {@link #DEFAULT_IGNORED_HEADERS}. */
        public Builder ignoredHeaders(Collection<String> names) {
            ignoredHeaders.clear();
            for (String name : names) {
                ignoredHeaders.add(headerName(name));
            }
            return this;
        }

        private static String headerName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("ignoreHeaders: a header name must not be blank");
            }
            return name.trim().toLowerCase(Locale.ROOT);
        }

        /**
         * Leaves these JSON fields out, with everything below them: {@code $.generatedAt},
         * {@code $.items[*].id}, {@code $..traceId}. Checked at {@link #build()}.
         */
        public Builder ignorePaths(String... patterns) {
            for (String pattern : patterns) {
                ignoredPaths.add(Objects.requireNonNull(pattern, "ignorePaths"));
            }
            return this;
        }

        /**
         * Compares the arrays at these paths as bags: the same elements in any order match, e.g.
         * {@code $.tags} or {@code $.items[*].labels}; {@code $..*} makes every array held by a field
         * unordered. Arrays are ordered by default.
         */
        public Builder unorderedArrays(String... patterns) {
            for (String pattern : patterns) {
                unorderedArrays.add(Objects.requireNonNull(pattern, "unorderedArrays"));
            }
            return this;
        }

        /** Recent mismatches kept, newest first; 0 keeps none; default 100. */
        public Builder recentMismatches(int count) {
            this.recentMismatches = atLeast(count, 0, "recentMismatches");
            return this;
        }

        /** Differing fields listed per target in the summary; default 10. */
        public Builder topFields(int count) {
            this.topFields = atLeast(count, 1, "topFields");
            return this;
        }

        /** Recent comparisons per target the latency percentiles are computed over; default 1024. */
        public Builder latencySamples(int count) {
            this.latencySamples = atLeast(count, 1, "latencySamples");
            return this;
        }

        /** Decoded (gunzipped) bodies larger than this are not compared; default 1 MiB. */
        public Builder maxDecodedBodySize(int bytes) {
            this.maxDecodedBodySize = atLeast(bytes, 0, "maxDecodedBodySize");
            return this;
        }

        /** At most one mismatch log line per target per interval; zero logs every one; default 10 s. */
        public Builder logInterval(Duration interval) {
            Objects.requireNonNull(interval, "logInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("logInterval must not be negative, was " + interval);
            }
            this.logInterval = interval;
            return this;
        }

        /**
         * When a field a candidate differs at is noise, by Diffy's rule: on the same request the
         * control differed at exactly that place, or, once the control has been compared
         * {@code minimumSamples} times on the request's endpoint (method and path, ids folded), the
         * candidate differs at that field no more often than the control does, beyond both thresholds:
         * a field is reported when the candidate's rate {@code k} exceeds the control's {@code c} by more
         * than {@code absolutePercent} percentage points and {@code k - c} is more than
         * {@code relativePercent} percent of {@code k + c}. Defaults: 10 samples, 20 %, 0.03 points
         * (Diffy's thresholds).
         *
         * @throws IllegalArgumentException if the samples are below 1 or a threshold is negative
         */
        public Builder noise(int minimumSamples, double relativePercent, double absolutePercent) {
            this.noiseMinimumSamples = atLeast(minimumSamples, 1, "noise minimumSamples");
            if (!(relativePercent >= 0 && relativePercent <= 100) || !(absolutePercent >= 0 && absolutePercent <= 100)) {
                throw new IllegalArgumentException("noise thresholds must be between 0 and 100 (percent), were "
                        + relativePercent + " and " + absolutePercent);
            }
            this.noiseRelativeThreshold = relativePercent;
            this.noiseAbsoluteThreshold = absolutePercent;
            return this;
        }

        /** Tells {@code listener} of every comparison. */
        public Builder listener(ComparisonListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException naming the setting, if a path pattern is not valid
         */
        public CompareOptions build() {
            return new CompareOptions(this);
        }

        private static int atLeast(int value, int min, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
            }
            return value;
        }
    }
}
