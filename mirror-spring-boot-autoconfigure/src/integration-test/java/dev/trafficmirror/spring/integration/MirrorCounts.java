package dev.trafficmirror.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.TargetStats;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** A target's counts by reason, and waiting for them to grow, for the integration tests. */
final class MirrorCounts {

    static final Duration WAIT = Duration.ofSeconds(10);

    private MirrorCounts() {
    }

    static Map<Reason, Long> counts(Mirror mirror, String target) {
        return mirror.stats().stream().filter(stats -> stats.target().name().equals(target))
                .map(TargetStats::counts).findFirst().orElseThrow();
    }

    /** What the target has counted since {@code before}, by reason; only reasons that grew. */
    static Map<Reason, Long> added(Mirror mirror, String target, Map<Reason, Long> before) {
        Map<Reason, Long> added = new EnumMap<>(Reason.class);
        counts(mirror, target).forEach((reason, count) -> {
            if (count > before.get(reason)) {
                added.put(reason, count - before.get(reason));
            }
        });
        return added;
    }

    /** Waits until the target has counted exactly {@code expected} more than {@code before}. */
    static void awaitCounted(Mirror mirror, String target, Map<Reason, Long> before, Map<Reason, Long> expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(added(mirror, target, before)).isEqualTo(expected));
    }
}
