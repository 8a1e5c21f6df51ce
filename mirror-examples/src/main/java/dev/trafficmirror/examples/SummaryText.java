package dev.trafficmirror.examples;

import dev.trafficmirror.core.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The closing summary the demo prints: what v1 served, what was mirrored, how v2 behaved. */
final class SummaryText {

    static final String RULE = "=".repeat(78);

    private SummaryText() {
    }

    static String render(DemoResult result) {
        StringBuilder text = new StringBuilder();
        UserTraffic users = result.users();
        ServiceSummary v1 = result.v1();
        ServiceSummary v2 = result.v2();
        MirrorMeters mirror = result.mirror();

        text.append(center(" summary: reviews v1 -> v2 ")).append('\n');
        line(text, "load", "%d x GET /reviews/{1..14} in %.1f s (%.1f/s), each with X-Request-Id req-N",
                users.sent(), result.elapsed().toNanos() / 1e9, result.userRate());
        line(text, "reviews-v1", "served %d requests to users: %s%s", v1.requests(), statuses(v1.statuses()),
                result.v1AllOk() ? " (all OK)" : " (NOT all OK)");
        if (!users.failures().isEmpty()) {
            line(text, "", "users got no answer for %s", users.failures());
        }
        long mirrored = mirror.count(Outcome.COMPLETED) + mirror.count(Outcome.FAILED);
        line(text, "mirror", "mirrored %d of %d requests to %s: completed %d, failed %d, dropped %d, skipped %d",
                mirrored, users.sent(), mirror.target(), mirror.count(Outcome.COMPLETED), mirror.count(Outcome.FAILED),
                mirror.count(Outcome.DROPPED), mirror.count(Outcome.SKIPPED));
        if (!mirror.reasons().isEmpty()) {
            line(text, "", "mirror.requests reasons: %s", counts(mirror.reasons()));
        }
        line(text, "", "mirror.shadow.duration by status: %s; mean round trip %.1f ms (after v1 answered)",
                mirror.statusClasses().isEmpty() ? "none" : counts(mirror.statusClasses()), mirror.meanRoundTripMillis());
        line(text, "reviews-v2", "answered %d copies: %s (%.1f%% 5xx)", v2.requests(), statuses(v2.statuses()),
                DemoResult.percent(v2.serverErrors(), v2.requests()));
        for (ServiceSummary.ErrorGroup error : v2.errors()) {
            line(text, "  errors", "%d x%d  %s  e.g. %s", error.status(), error.count(), error.message(),
                    String.join(", ", error.examples()));
        }
        line(text, "latency ms", "%-26s %7s %7s %7s %7s", "", "p50", "p90", "p99", "max");
        latency(text, "reviews-v1 server time", v1.latency());
        latency(text, "reviews-v2 server time", v2.latency());
        latency(text, "users -> v1 round trip", users.roundTrip());
        differences(text, result.differences());
        List<String> findings = result.v2Findings();
        if (findings.isEmpty()) {
            line(text, "verdict", "no regression seen in %s over %d copies", v2.name(), v2.requests());
        } else {
            line(text, "verdict", "do not release %s yet:", v2.name());
            findings.forEach(finding -> line(text, "", "- %s", finding));
        }
        line(text, "report", "%s", result.report().toAbsolutePath().normalize());
        text.append(RULE).append('\n');
        return text.toString();
    }

    /**
     * The response comparison section: counts from {@code mirror.compare} when the meter exists.
     */
    private static void differences(StringBuilder text, ResponseDifferences differences) {
        if (!differences.measured()) {
            line(text, "differences", "not measured: this build has no response comparison (no %s meter)",
                    ResponseDifferences.METER);
        } else {
            line(text, "differences", "%d responses compared (%s): %s", differences.compared(), ResponseDifferences.METER,
                    counts(differences.results()));
        }
    }

    private static void latency(StringBuilder text, String what, LatencyStats stats) {
        line(text, "", "%-26s %7.2f %7.2f %7.2f %7.2f", what, stats.p50(), stats.p90(), stats.p99(), stats.max());
    }

    static String statuses(Map<Integer, Long> statuses) {
        return statuses.isEmpty() ? "none"
                : statuses.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static void line(StringBuilder text, String label, String format, Object... args) {
        text.append(String.format(Locale.ROOT, "%-13s ", label))
                .append(String.format(Locale.ROOT, format, args).stripTrailing())
                .append('\n');
    }

    private static String center(String title) {
        int left = (RULE.length() - title.length()) / 2;
        return "=".repeat(left) + title + "=".repeat(RULE.length() - left - title.length());
    }
}
