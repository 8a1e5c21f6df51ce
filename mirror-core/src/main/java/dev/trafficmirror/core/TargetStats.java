package dev.trafficmirror.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one target of a {@link Mirror} has done so far: a point-in-time copy, see
 * {@link Mirror#stats()}.
 *
 * @param target the target
 * @param percentage the share of requests it is sampling now, 0 to 100
 * @param counts how many requests ended with each reason since the mirror was built, every reason
 *     present (zero when it never happened); the same numbers as the {@code mirror.requests} counter
 * @param recentFailures the last few copies that got no answer, newest first
 */
public record TargetStats(MirrorTarget target, double percentage, Map<Reason, Long> counts,
        List<MirrorFailure> recentFailures) {

    /** Copies the collections; the counts keep the order of {@link Reason}. */
    public TargetStats {
        Objects.requireNonNull(target, "target");
        Map<Reason, Long> ordered = new EnumMap<>(Reason.class);
        ordered.putAll(counts);
        counts = Collections.unmodifiableMap(ordered);
        recentFailures = List.copyOf(recentFailures);
    }

    /** How many requests ended with {@code reason}. */
    public long count(Reason reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** How many requests ended with {@code outcome}, whatever the reason. */
    public long count(Outcome outcome) {
        long total = 0;
        for (Map.Entry<Reason, Long> entry : counts.entrySet()) {
            if (entry.getKey().outcome() == outcome) {
                total += entry.getValue();
            }
        }
        return total;
    }

    /** How many requests this target has seen: the sum of every count. */
    public long requests() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
