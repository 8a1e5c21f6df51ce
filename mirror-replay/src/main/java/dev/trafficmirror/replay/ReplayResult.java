package dev.trafficmirror.replay;

import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.compare.ComparisonSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What one replay did, read once it settled: what the recording held, what was sent, what the
 * mirror counted and what the comparisons found. The summary is drawn from it alone, and the exit
 * code decided by it.
 *
 * @param stats the mirror's targets: the shadow first, then the control if any
 * @param shadowStatuses the answers of each compared target by exact status (empty when not comparing)
 */
record ReplayResult(ReplayOptions options, long lines, long records, long unreadable, long unknownVersion,
        List<String> namedUnreadable, SortedMap<Integer, Long> recordedStatuses, long notCaptured,
        Instant firstReceived, Instant lastReceived, long sent, long passes, Duration elapsed, boolean interrupted,
        List<TargetStats> stats, ComparisonSummary comparisons, Map<String, SortedMap<Integer, Long>> shadowStatuses,
        ShadowTimes times) {

    TargetStats shadow() {
        return stats.get(0);
    }

    TargetStats control() {
        return stats.size() > 1 ? stats.get(1) : null;
    }

    ComparisonSummary.TargetSummary compared() {
        return comparisons.target(shadow().target().name());
    }

    /** Answers that differ from the recorded ones beyond noise, and comparisons that failed. */
    long differing() {
        ComparisonSummary.TargetSummary compared = compared();
        return compared == null ? 0 : compared.mismatches() + compared.errors();
    }

    /** Copies sent that got no answer, or were dropped or skipped by the mirror's bounds. */
    long unanswered() {
        TargetStats shadow = shadow();
        return shadow.count(Outcome.FAILED) + shadow.count(Outcome.DROPPED) + shadow.count(Outcome.SKIPPED);
    }

    /** The exit code: interrupted, then differing answers (with --fail-on-mismatch), then incomplete, else 0. */
    int exitCode() {
        if (interrupted) {
            return Replay.INTERRUPTED;
        }
        if (options.failOnMismatch() && differing() > 0) {
            return Replay.MISMATCH;
        }
        if (unreadable > 0 || unanswered() > 0) {
            return Replay.INCOMPLETE;
        }
        return Replay.OK;
    }

    /** Why the exit code is what it is, in words. */
    String exitReason() {
        return switch (exitCode()) {
            case Replay.INTERRUPTED -> "interrupted: the summary so far";
            case Replay.MISMATCH -> differing() + " answer(s) differ from the recorded ones (--fail-on-mismatch)";
            case Replay.INCOMPLETE -> (unreadable > 0 ? unreadable + " " + options.item() + "(s) unreadable" : "")
                    + (unreadable > 0 && unanswered() > 0 ? ", " : "")
                    + (unanswered() > 0 ? unanswered() + " copies not answered" : "");
            default -> options.failOnMismatch() ? "every answer as recorded, noise set aside" : "done";
        };
    }
}
