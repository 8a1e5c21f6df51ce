package dev.trafficmirror.examples;

import static dev.trafficmirror.report.SummaryLayout.RULE;
import static dev.trafficmirror.report.SummaryLayout.center;
import static dev.trafficmirror.report.SummaryLayout.counts;
import static dev.trafficmirror.report.SummaryLayout.line;
import static dev.trafficmirror.report.SummaryLayout.statuses;
import static dev.trafficmirror.report.SummaryLayout.wrapped;

import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The closing summary the demo prints: what v1 served, what was mirrored, how v2 behaved. */
final class SummaryText {

    private static final int SHOWN_DIFFERENCES = 5;

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
        mirrored(text, "mirror", mirror, users.sent());
        line(text, "", "mirror.shadow.duration by status: %s; mean round trip %.1f ms (after v1 answered)",
                mirror.statusClasses().isEmpty() ? "none" : counts(mirror.statusClasses()), mirror.meanRoundTripMillis());
        mirrored(text, "", result.controlMirror(), users.sent());
        MirrorMeters recorded = result.recordMirror();
        if (recorded != null) {
            line(text, "record", "recorded %d of %d exchanges to %s: written %d, failed %d, dropped %d, skipped %d",
                    recorded.count(Outcome.COMPLETED), users.sent(),
                    result.options().record().toAbsolutePath().normalize(), recorded.count(Outcome.COMPLETED),
                    recorded.count(Outcome.FAILED), recorded.count(Outcome.DROPPED), recorded.count(Outcome.SKIPPED));
        }
        line(text, "reviews-v2", "answered %d copies: %s (%.1f%% 5xx)", v2.requests(), statuses(v2.statuses()),
                DemoResult.percent(v2.serverErrors(), v2.requests()));
        for (ServiceSummary.ErrorGroup error : v2.errors()) {
            line(text, "  errors", "%d x%d  %s  e.g. %s", error.status(), error.count(), error.message(),
                    String.join(", ", error.examples()));
        }
        line(text, "control", "%s (v1's code again) answered %d copies: %s", result.control().name(),
                result.control().requests(), statuses(result.control().statuses()));
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
            // broken after a comma or semicolon only, so that a field stays with how it differs
            findings.forEach(finding -> wrapped(text, "", "- ", List.of(finding.split("(?<=[,;]) ")), ""));
        }
        line(text, "report", "%s", result.report().toAbsolutePath().normalize());
        if (recorded != null) {
            line(text, "replay it", "-Ddemo.args=\"--replay %s\" replays it against reviews-v2 (docs/replay.md)",
                    result.options().record());
        }
        text.append(RULE).append('\n');
        return text.toString();
    }

    private static void mirrored(StringBuilder text, String label, MirrorMeters meters, long sent) {
        line(text, label, "mirrored %d of %d requests to %s: completed %d, failed %d, dropped %d, skipped %d",
                meters.sent(), sent, meters.target(),
                meters.count(Outcome.COMPLETED), meters.count(Outcome.FAILED), meters.count(Outcome.DROPPED),
                meters.count(Outcome.SKIPPED));
        if (!meters.reasons().isEmpty()) {
            line(text, "", "mirror.requests reasons for %s: %s", meters.target(), counts(meters.reasons()));
        }
    }

    /**
     * The response comparison section: what v2 answers differently, field by field, with the
     * noise the control revealed set apart, and a recent mismatch or two to look up in the logs.
     */
    private static void differences(StringBuilder text, ResponseDifferences differences) {
        if (!differences.measured()) {
            line(text, "differences", "none measured: no answer of %s was compared", ReviewsDemo.TARGET);
            return;
        }
        ComparisonSummary.TargetSummary candidate = differences.candidate();
        line(text, "differences", "%s vs reviews-v1: %s", candidate.target(), counts(candidate));
        if (candidate.topFields().isEmpty()) {
            line(text, "", "no field differs, noise set aside");
        } else {
            int width = Math.max(25, candidate.topFields().stream().mapToInt(f -> f.path().length()).max().orElse(0));
            line(text, "", "%-" + width + "s  %-8s %7s", "field (noise set aside)", "how", "answers");
            for (ComparisonSummary.FieldCount field : candidate.topFields()) {
                line(text, "", "%-" + width + "s  %-8s %7d", field.path(), ResponseDifferences.kind(field.kind()),
                        field.count());
            }
        }
        ComparisonSummary.TargetSummary control = differences.control();
        if (control == null) {
            line(text, "  noise", "not measured: no control target");
        } else {
            line(text, "  noise", "%s, the same code as v1, differs from it in: %s", control.target(),
                    differences.noise().isEmpty() ? "nothing" : differences.noise().stream()
                            .map(f -> f.path() + " (" + f.count() + " answers)").collect(Collectors.joining(", ")));
            line(text, "", "so that is noise: %d difference(s) set aside from %s's, not listed above",
                    candidate.noise(), candidate.target());
            line(text, "", "control vs v1: %s", counts(control));
        }
        String label = "  e.g.";
        for (Comparison example : differences.examples()) {
            List<String> shown = new ArrayList<>();
            example.differences().stream().limit(SHOWN_DIFFERENCES).forEach(d -> shown.add(ResponseDifferences.describe(d)));
            int more = example.differenceCount() - shown.size();
            if (more > 0) {
                shown.add("and " + more + " more");
            }
            wrapped(text, label, example.method() + " " + example.path() + " id=" + example.mirrorId() + ": ", shown, ",");
            label = "";
        }
    }


    private static void latency(StringBuilder text, String what, LatencyStats stats) {
        line(text, "", "%-26s %7.2f %7.2f %7.2f %7.2f", what, stats.p50(), stats.p90(), stats.p99(), stats.max());
    }




}
