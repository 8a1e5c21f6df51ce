package dev.trafficmirror.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How reviews-v2's answers differed from reviews-v1's: the summary's and the report's section for
 * response comparison, fed from the {@code mirror.compare} counter (tags {@code target} and
 * {@code result}: match, mismatch, error) that the comparison feature records.
 *
 * <p>Response comparison is not part of this build: the counter is absent and the section says
 * "not measured" rather than showing anything. When comparison is enabled on the demo's mirror,
 * its counts show here, and its per-target summary of the most frequent differences belongs in
 * this record too, so that both renderers pick it up.
 *
 * @param measured whether any {@code mirror.compare} counter exists for the target
 * @param results comparisons by result tag
 */
record ResponseDifferences(boolean measured, SortedMap<String, Long> results) {

    static final String METER = "mirror.compare";

    static ResponseDifferences read(MeterRegistry registry, String target) {
        Collection<Counter> counters = registry.find(METER).tag("target", target).counters();
        SortedMap<String, Long> results = new TreeMap<>();
        for (Counter counter : counters) {
            results.merge(String.valueOf(counter.getId().getTag("result")), Math.round(counter.count()), Long::sum);
        }
        return new ResponseDifferences(!counters.isEmpty(), results);
    }

    long compared() {
        return results.values().stream().mapToLong(Long::longValue).sum();
    }
}
