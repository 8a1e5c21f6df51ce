package dev.trafficmirror.examples;

import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.compare.ComparisonSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the demo found, for the summary and the report.
 *
 * @param elapsed how long the load ran
 * @param users what the users sent and got back
 * @param v1 reviews-v1's access log
 * @param v2 reviews-v2's access log
 * @param control the control's access log (a second reviews-v1)
 * @param mirror trafficmirror's metrics for reviews-v2
 * @param controlMirror trafficmirror's metrics for the control
 * @param differences how v2's answers differed from v1's, noise set aside
 * @param report where the HTML report is written
 * @param recordMirror trafficmirror's metrics for the recording target ({@code --record}), or {@code null}
 */
record DemoResult(DemoOptions options, Duration elapsed, UserTraffic users, ServiceSummary v1, ServiceSummary v2,
        ServiceSummary control, MirrorMeters mirror, MirrorMeters controlMirror, ResponseDifferences differences,
        Path report, MirrorMeters recordMirror) {

    /** How many of v2's most frequent differences the verdict names. */
    static final int VERDICT_FIELDS = 3;

    /** Whether every user request got a 2xx from v1. */
    boolean v1AllOk() {
        long ok = users.statuses().entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(Map.Entry::getValue).sum();
        return users.sent() > 0 && ok == users.sent();
    }

    /** Requests per second the users actually sent. */
    double userRate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : users.sent() / seconds;
    }

    /**
     * What reviews-v2 did worse than reviews-v1, in plain sentences; empty when nothing was seen.
     */
    List<String> v2Findings() {
        List<String> findings = new ArrayList<>();
        if (v2.serverErrors() > v1.serverErrors()) {
            String statuses = v2.statuses().entrySet().stream().filter(e -> e.getKey() >= 500)
                    .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
            findings.add(String.format(Locale.ROOT, "%d of %d copies (%.1f%%) answered %s; v1 answered %d 5xx",
                    v2.serverErrors(), v2.requests(), percent(v2.serverErrors(), v2.requests()), statuses,
                    v1.serverErrors()));
        }
        if (differences.measured() && differences.candidate().mismatches() > 0) {
            ComparisonSummary.TargetSummary candidate = differences.candidate();
            List<ComparisonSummary.FieldCount> fields = candidate.topFields();
            String most = fields.stream().limit(VERDICT_FIELDS)
                    .map(field -> ResponseDifferences.describe(field) + " x" + field.count())
                    .collect(Collectors.joining(", "));
            findings.add(String.format(Locale.ROOT, "%d of %d answers (%.1f%%) differ from v1's, noise set aside; "
                            + "most often %s%s", candidate.mismatches(), candidate.compared(),
                    percent(candidate.mismatches(), candidate.compared()), most,
                    fields.size() > VERDICT_FIELDS ? String.format(Locale.ROOT, "; %d more field(s) listed above",
                            fields.size() - VERDICT_FIELDS) : ""));
        }
        long failed = mirror.count(Outcome.FAILED);
        if (failed > 0) {
            findings.add(String.format(Locale.ROOT, "%d copies got no answer at all (%s)", failed, mirror.reasons()));
        }
        LatencyStats fast = v1.latency();
        LatencyStats slow = v2.latency();
        if (slow.count() > 0 && fast.count() > 0 && slow.p50() > 2 * fast.p50() && slow.p50() - fast.p50() >= 1.0) {
            findings.add(String.format(Locale.ROOT, "v2 is slower: median server time %.1f ms vs %.1f ms on v1",
                    slow.p50(), fast.p50()));
        }
        return findings;
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
