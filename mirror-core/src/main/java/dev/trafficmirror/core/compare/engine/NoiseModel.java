package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Diffy's idea, in the process: the control runs the primary's own version, so any difference
 * between the primary and the control is nondeterminism (a timestamp, a random id, an order that
 * changes), never a regression. Such fields are noise and are not reported for candidate targets:
 * those that differ with the control on the same request, and, once seen, the same field (array
 * indices aside) on any later request.
 */
final class NoiseModel {

    /** Enough for any real API; a document whose every field differs must not grow this without end. */
    static final int MAX_FIELDS = 1000;

    private final ConcurrentHashMap<String, LongAdder> learned = new ConcurrentHashMap<>();

    /**
     * Learns the fields in which the primary and the control differed. The status, the body as a
     * whole and the document root are never learned: one odd answer from the control (a 503, an
     * error page) would otherwise hide every later regression there. They are noise only for the
     * request on which the control differed.
     */
    void learn(Collection<Difference> controlDifferences) {
        Set<String> seen = new HashSet<>();
        for (Difference difference : controlDifferences) {
            String field = FieldPath.normalize(difference.path());
            if (!isLearnable(field)) {
                continue;
            }
            if (seen.add(field) && (learned.size() < MAX_FIELDS || learned.containsKey(field))) {
                learned.computeIfAbsent(field, k -> new LongAdder()).increment();
            }
        }
    }

    /**
     * Whether a candidate's difference is noise: the control differed at the same place in the same
     * request ({@code sameRequest}, exact paths; may be empty), or at the same field, or above it,
     * before.
     */
    boolean isNoise(String path, Set<String> sameRequest) {
        if (!sameRequest.isEmpty()) {
            for (String at : ancestors(path)) {
                if (sameRequest.contains(at)) {
                    return true;
                }
            }
        }
        if (learned.isEmpty()) {
            return false;
        }
        for (String at : ancestors(FieldPath.normalize(path))) {
            if (learned.containsKey(at)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLearnable(String field) {
        return !field.equals("status") && !field.equals("body") && !field.equals("$");
    }

    /** The path itself and every path above it, nearest first: {@code $.a[1].b}, {@code $.a[1]}, {@code $.a}, {@code $}. */
    static List<String> ancestors(String path) {
        List<String> paths = new ArrayList<>(4);
        paths.add(path);
        if (!path.startsWith("$")) {
            return paths;
        }
        for (int i = path.length() - 1; i > 0; i--) {
            char c = path.charAt(i);
            if (c == '.' || c == '[') {
                paths.add(path.substring(0, i));
            }
        }
        return paths;
    }

    /** The noisiest fields first: each with how many control comparisons it differed in. */
    List<ComparisonSummary.FieldCount> top(int limit) {
        return learned.entrySet().stream()
                .map(e -> new ComparisonSummary.FieldCount(e.getKey(), null, e.getValue().sum()))
                .sorted(Comparator.comparingLong(ComparisonSummary.FieldCount::count).reversed()
                        .thenComparing(ComparisonSummary.FieldCount::path))
                .limit(limit)
                .toList();
    }
}
