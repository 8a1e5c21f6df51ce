package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonListener;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares shadow answers with the primary's and keeps the results: the {@code mirror.compare}
 * counter, a per-target summary, the recent mismatches, the noise learned from the control target,
 * a rate-limited log line per mismatch, and the {@link ComparisonListener}s.
 *
 * <p>A {@code Mirror} whose targets compare builds one and calls {@link #compare} on its mirror
 * threads; {@code Mirror.comparisons()} returns its {@link #summary()}. Public for the mirror's own
 * packages only: this package is not part of the API (its module does not export it). Thread-safe.
 */
public final class ComparisonEngine {

    static final String COUNTER = "mirror.compare";
    static final String LISTENER_FAILURES = "mirror.compare.listener.failures";

    /** The logger's name from before this class left the API package: log settings keep working. */
    private static final Logger log = LoggerFactory.getLogger("dev.trafficmirror.core.compare.ComparisonEngine");

    private final CompareOptions options;
    private final Counters counters;
    private final ResponseDiff diff;
    private final NoiseModel noise;
    private final RecentMismatches recent;
    private final Map<String, TargetState> targets = new LinkedHashMap<>();

    /** The meters and running summary of one compared target. */
    private final class TargetState {
        final boolean control;
        final TargetStatistics statistics;
        final Map<ComparisonResult, Counter> counters = new EnumMap<>(ComparisonResult.class);
        final Counter listenerFailures;
        final RateLimit mismatchLog = new RateLimit(options.logInterval());
        final RateLimit failureLog = new RateLimit(Duration.ofSeconds(10));

        TargetState(String name, boolean control) {
            this.control = control;
            this.statistics = new TargetStatistics(name, control, options.topFields(), options.latencySamples());
            for (ComparisonResult result : ComparisonResult.values()) {
                counters.put(result, ComparisonEngine.this.counters.counter(COUNTER,
                        "Shadow answers compared with the primary's, by target and result",
                        Tags.of("target", name, "result", result.tag())));
            }
            this.listenerFailures = ComparisonEngine.this.counters.counter(LISTENER_FAILURES,
                    "Comparison listeners that threw, by target", Tags.of("target", name));
        }
    }

    /**
     * An engine for the given targets, whose meters are registered at once (at zero).
     *
     * @param counters where the engine's counters are registered
     * @param targets the targets that compare; others are registered on their first comparison
     */
    public ComparisonEngine(CompareOptions options, Counters counters, Collection<MirrorTarget> targets) {
        this.options = Objects.requireNonNull(options, "options");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.diff = new ResponseDiff(options);
        this.noise = new NoiseModel(options.noiseMinimumSamples(), options.noiseRelativeThreshold(),
                options.noiseAbsoluteThreshold());
        this.recent = new RecentMismatches(options.recentMismatches());
        for (MirrorTarget target : targets) {
            state(target);
        }
    }

    private TargetState state(MirrorTarget target) {
        synchronized (targets) {
            return targets.computeIfAbsent(target.name(), name -> new TargetState(name, target.isControl()));
        }
    }

    /**
     * Compares one shadow answer with the primary's, counts it and tells the listeners. Never throws:
     * a comparison that fails is counted as {@code error}.
     *
     * @param request the request both answered (its method and path are kept)
     * @param primary what the primary answered, or {@code null} when it was not captured
     *     ({@code not_comparable})
     * @param control the same request's comparison for the control target, or {@code null}: where it
     *     differed, exactly, is noise for this one on this request (see {@link NoiseModel} for later
     *     requests)
     */
    public Comparison compare(MirrorTarget target, MirrorRequest request, String mirrorId, PrimaryResponse primary,
            ShadowResponse shadow, Duration shadowLatency, Comparison control) {
        TargetState state = state(target);
        ComparisonResult result;
        List<Difference> reported = List.of();
        int reportedCount = 0;
        int noiseCount = 0;
        String note;
        try {
            if (primary == null || primary.capture() == PrimaryResponse.Capture.UNKNOWN) {
                result = ComparisonResult.NOT_COMPARABLE;
                note = primary == null ? "the primary's answer was not captured" : primary.note();
            } else {
                ResponseDiff.Found found = diff.diff(request.method(), primary, shadow);
                List<Difference> all = found.differences().list();
                int uncollected = found.differences().count() - all.size();
                String endpoint = NoiseModel.endpoint(request.method(), request.path());
                if (state.control) {
                    noise.control(endpoint, all);
                    reported = all;
                } else {
                    Set<String> sameRequest = control == null ? Set.of()
                            : control.differences().stream().map(Difference::path).collect(Collectors.toSet());
                    Set<Difference> noisy = noise.candidate(target.name(), endpoint, all, sameRequest);
                    reported = new ArrayList<>(all.size());
                    for (Difference difference : all) {
                        if (noisy.contains(difference)) {
                            noiseCount++;
                        } else {
                            reported.add(difference);
                        }
                    }
                }
                reportedCount = reported.size() + uncollected;
                if (found.notComparable() != null) {
                    result = reportedCount == 0 ? ComparisonResult.NOT_COMPARABLE : ComparisonResult.MISMATCH;
                    note = reportedCount == 0 ? found.notComparable() : "bodies not compared: " + found.notComparable();
                } else {
                    result = reportedCount == 0 ? ComparisonResult.MATCH : ComparisonResult.MISMATCH;
                    note = found.note();
                }
            }
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // LinkageError: a Jackson too old for its reader.
            result = ComparisonResult.ERROR;
            reported = List.of();
            reportedCount = 0;
            note = "comparison failed: " + e;
            long failures = state.failureLog.tryPass();
            if (failures > 0) {
                log.warn("Mirror could not compare the answers of target '{}' to {} {}; {} failure(s) since the last report",
                        target.name(), request.method(), request.path(), failures, e);
            }
        }
        Comparison comparison = new Comparison(target.name(), state.control, request.method(), request.path(), mirrorId,
                result, reported, reportedCount, noiseCount, primary == null ? 0 : primary.status(), shadow.status(),
                primary == null ? Duration.ZERO : primary.latency(), shadowLatency, note, Instant.now());
        record(target, state, comparison, reported);
        return comparison;
    }

    /** Counts an answer that was not compared because comparisons were behind ({@code skipped}). */
    public void skipped(MirrorTarget target) {
        TargetState state = state(target);
        state.counters.get(ComparisonResult.SKIPPED).increment();
        state.statistics.skipped();
    }

    private void record(MirrorTarget target, TargetState state, Comparison comparison, List<Difference> reported) {
        state.counters.get(comparison.result()).increment();
        state.statistics.record(comparison, reported);
        if (!state.control && comparison.result() == ComparisonResult.MISMATCH) {
            recent.add(comparison);
            long mismatches = state.mismatchLog.tryPass();
            if (mismatches > 0) {
                log.info("Mirror target '{}' answered differently: {}; {} mismatch(es) since the last report",
                        target.name(), comparison.withoutValues(), mismatches);
            }
        }
        for (ComparisonListener listener : options.listeners()) {
            try {
                listener.onComparison(comparison);
            } catch (RuntimeException e) {
                state.listenerFailures.increment();
                long failures = state.failureLog.tryPass();
                if (failures > 0) {
                    log.warn("A comparison listener failed for target '{}'; {} failure(s) since the last report",
                            target.name(), failures, e);
                }
            }
        }
    }

    /** A snapshot of the comparisons so far. */
    public ComparisonSummary summary() {
        List<ComparisonSummary.TargetSummary> summaries = new ArrayList<>();
        synchronized (targets) {
            for (TargetState state : targets.values()) {
                summaries.add(state.statistics.summary());
            }
        }
        return new ComparisonSummary(summaries, recent.list(), noise.top(options.topFields()), JsonReading.AVAILABLE);
    }
}
