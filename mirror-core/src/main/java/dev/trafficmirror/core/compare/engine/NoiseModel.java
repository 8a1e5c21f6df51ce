package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Diffy's rule, in the process: the control runs the primary's own version, so where it differs
 * from the primary is nondeterminism (a timestamp, a random id), not a regression. A candidate's
 * difference is noise in two cases only:
 *
 * <ul>
 *   <li>on the same request, the control differed at exactly the same place (the answers of v1 and
 *       v1 differed there too, this time);
 *   <li>on the same endpoint (method and path, ids folded), the control has been compared at least
 *       {@code minimumSamples} times, and the candidate differs at that field no more often than the
 *       control does, within the thresholds: a field is significant only when the candidate's rate
 *       exceeds the control's, by more than {@code absolute} percentage points and by more than
 *       {@code relative} percent of their sum ({@code |k - c| / (k + c)}).
 * </ul>
 *
 * <p>So no field is learned from a single answer, a field above another is no excuse for it (the
 * control once missing {@code $.data} hides no {@code $.data.price}), and the status, the body as a
 * whole and the document root are never noise but on the request where the control differed there.
 * What the model cannot keep (past its bounds) is never noise: it is reported.
 */
final class NoiseModel {

    /** Endpoints kept; beyond, new endpoints have no statistics and their differences are reported. */
    static final int MAX_ENDPOINTS = 1_000;
    /** Distinct fields kept per endpoint and target; more are never noise. */
    static final int MAX_FIELDS = 1_000;
    private static final String CONTROL = "";
    /** Numbers, UUIDs, hex of 8 or more, and tokens of 16 or more letters and digits holding a digit. */
    private static final Pattern ID = Pattern.compile("[0-9]+|[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}"
            + "|(?=.*[0-9])[0-9a-fA-F]{8,}|(?=.*[0-9])[A-Za-z0-9_-]{16,}");

    private final int minimumSamples;
    private final double relative;
    private final double absolute;
    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicInteger endpointCount = new AtomicInteger();

    /**
     * @param minimumSamples control comparisons an endpoint needs before its rates mean anything
     * @param relative percent: how much of {@code k + c} the excess {@code k - c} must be to count
     * @param absolute percentage points the candidate's rate must exceed the control's by
     */
    NoiseModel(int minimumSamples, double relative, double absolute) {
        this.minimumSamples = minimumSamples;
        this.relative = relative;
        this.absolute = absolute;
    }

    /** Counts one control comparison on {@code endpoint} and where it differed. */
    void control(String endpoint, Collection<Difference> differences) {
        Rates rates = rates(endpoint, CONTROL);
        if (rates != null) {
            rates.count(differences);
        }
    }

    /**
     * Counts one candidate comparison on {@code endpoint} and tells which of its differences are
     * noise.
     *
     * @param sameRequest the exact paths where the control differed on this request; may be empty
     */
    Set<Difference> candidate(String target, String endpoint, Collection<Difference> differences, Set<String> sameRequest) {
        Rates candidate = rates(endpoint, target);
        if (candidate != null) {
            candidate.count(differences);
        }
        Rates control = rates(endpoint, CONTROL);
        Set<Difference> noise = new HashSet<>();
        for (Difference difference : differences) {
            if (sameRequest.contains(difference.path())) {
                noise.add(difference);
            } else if (candidate != null && control != null && isLearnable(difference.path())
                    && control.samples() >= minimumSamples) {
                String field = FieldPath.normalize(difference.path());
                // A field past the bounds has no rate to weigh: reported.
                if (candidate.tracks(field) && !significant(candidate.rate(field), control.rate(field))) {
                    noise.add(difference);
                }
            }
        }
        return noise;
    }

    /**
     * The endpoint a request belongs to for the statistics: its method and path, with the segments
     * that look like ids (numbers, UUIDs, long hex or mixed tokens) folded into {@code {id}}, so that
     * {@code GET /reviews/7} and {@code GET /reviews/8} are one endpoint.
     */
    static String endpoint(String method, String path) {
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (ID.matcher(segments[i]).matches()) {
                segments[i] = "{id}";
            }
        }
        return method + " " + String.join("/", segments);
    }

    /** Diffy's filter, on rates: the candidate differs more often than the control, beyond both thresholds. */
    private boolean significant(double candidate, double control) {
        double excess = candidate - control;
        return excess > 0 && excess * 100 > absolute && excess / (candidate + control) * 100 > relative;
    }

    private static boolean isLearnable(String path) {
        return !path.equals("status") && !path.equals("body") && !path.equals("$");
    }

    /** The counts of one target (or the control) on one endpoint, or {@code null} past the bounds. */
    private Rates rates(String endpoint, String target) {
        Endpoint counts = endpoints.get(endpoint);
        if (counts == null) {
            if (endpointCount.get() >= MAX_ENDPOINTS) {
                return null;
            }
            counts = endpoints.computeIfAbsent(endpoint, key -> {
                endpointCount.incrementAndGet();
                return new Endpoint();
            });
        }
        return counts.byTarget.computeIfAbsent(target, key -> new Rates());
    }

    /** The control's noisiest fields, across endpoints: each with how many control comparisons it differed in. */
    List<ComparisonSummary.FieldCount> top(int limit) {
        Map<String, Long> fields = new HashMap<>();
        for (Endpoint endpoint : endpoints.values()) {
            Rates control = endpoint.byTarget.get(CONTROL);
            if (control != null) {
                control.fields.forEach((field, count) -> fields.merge(field, count.sum(), Long::sum));
            }
        }
        return fields.entrySet().stream()
                .filter(entry -> isLearnable(entry.getKey()))
                .map(entry -> new ComparisonSummary.FieldCount(entry.getKey(), null, entry.getValue()))
                .sorted(Comparator.comparingLong(ComparisonSummary.FieldCount::count).reversed()
                        .thenComparing(ComparisonSummary.FieldCount::path))
                .limit(limit)
                .toList();
    }

    private static final class Endpoint {
        final ConcurrentHashMap<String, Rates> byTarget = new ConcurrentHashMap<>();
    }

    /** How many comparisons, and how many of them differed at each field (once per comparison). */
    private static final class Rates {
        final LongAdder samples = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> fields = new ConcurrentHashMap<>();

        void count(Collection<Difference> differences) {
            Set<String> seen = new HashSet<>();
            for (Difference difference : differences) {
                String field = FieldPath.normalize(difference.path());
                if (seen.add(field) && (fields.size() < MAX_FIELDS || fields.containsKey(field))) {
                    fields.computeIfAbsent(field, key -> new LongAdder()).increment();
                }
            }
            samples.increment();
        }

        long samples() {
            return samples.sum();
        }

        boolean tracks(String field) {
            return fields.containsKey(field);
        }

        double rate(String field) {
            long total = samples.sum();
            LongAdder count = fields.get(field);
            return total == 0 || count == null ? 0 : (double) count.sum() / total;
        }
    }
}
