package dev.trafficmirror.replay;

import static dev.trafficmirror.report.SummaryLayout.LABEL_WIDTH;
import static dev.trafficmirror.report.SummaryLayout.RULE;
import static dev.trafficmirror.report.SummaryLayout.WRAP;
import static dev.trafficmirror.report.SummaryLayout.center;
import static dev.trafficmirror.report.SummaryLayout.counts;
import static dev.trafficmirror.report.SummaryLayout.line;
import static dev.trafficmirror.report.SummaryLayout.statuses;
import static dev.trafficmirror.report.SummaryLayout.wrapped;

import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The summary a replay prints, laid out like the demo's: the recording, what was sent, the mirror's
 * counts, the shadow's answers and latency, the differences from the recorded answers with the
 * noise set aside, the unreadable lines, the verdict and the exit code.
 */
final class ReplaySummary {

    private static final int EXAMPLES = 2;

    private ReplaySummary() {
    }

    static String render(ReplayResult result) {
        StringBuilder text = new StringBuilder();
        ReplayOptions options = result.options();
        TargetStats shadow = result.shadow();
        String name = shadow.target().name();
        text.append(center(" replay: " + options.fromName() + " -> " + name + " ")).append('\n');
        line(text, "recording", "%s: %d records in %d %s, %d unreadable%s", options.fromText(), result.records(),
                result.lines(), options.item() + "s", result.unreadable(), recordedSpan(result));
        line(text, "", "primary answered (as recorded): %s%s", statuses(result.recordedStatuses()),
                result.notCaptured() > 0 ? ", not captured x" + result.notCaptured() : "");
        double seconds = result.elapsed().toNanos() / 1e9;
        line(text, "replayed", "%d records in %.1f s (%.1f/s), %s%s%s", result.sent(), seconds,
                seconds <= 0 ? 0 : result.sent() / seconds, options.paceText(),
                result.passes() > 1 ? ", " + result.passes() + " passes (--loop)" : "",
                result.interrupted() ? "; INTERRUPTED" : "");
        for (TargetStats target : result.stats()) {
            mirrored(text, target == shadow ? "mirror" : "", target, result.sent());
        }
        ShadowTimes times = result.times();
        line(text, "", "mirror.shadow.duration by status: %s; mean round trip %.1f ms",
                times.statusClasses().isEmpty() ? "none" : counts(times.statusClasses()), times.meanRoundTripMillis());
        Map<Integer, Long> exact = result.shadowStatuses().getOrDefault(name, new java.util.TreeMap<>());
        if (!exact.isEmpty()) {
            long answers = exact.values().stream().mapToLong(Long::longValue).sum();
            long errors = exact.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
            line(text, label(name), "answered %d copies: %s (%.1f%% 5xx)", answers, statuses(exact),
                    percent(errors, answers));
        }
        ComparisonSummary.TargetSummary compared = result.compared();
        if (compared != null && compared.primaryLatency().samples() > 0) {
            line(text, "latency ms", "%-26s %7s %7s %7s %7s", "", "p50", "p90", "p99", "max");
            latency(text, "primary (as recorded)", compared.primaryLatency());
            latency(text, name + " round trip", compared.shadowLatency());
        }
        differences(text, result);
        if (result.unreadable() > 0) {
            line(text, "unreadable", "%d %s(s) not replayed%s:", result.unreadable(), options.item(),
                    result.unknownVersion() > 0 ? ", " + result.unknownVersion() + " of another format version" : "");
            result.namedUnreadable().forEach(problem -> line(text, "", "%s", abbreviate(problem)));
            if (result.unreadable() > result.namedUnreadable().size()) {
                line(text, "", "... and %d more", result.unreadable() - result.namedUnreadable().size());
            }
        }
        verdict(text, result);
        if (options.report() != null) {
            line(text, "report", "%s", options.report().toAbsolutePath().normalize());
        }
        line(text, "exit", "%d: %s", result.exitCode(), result.exitReason());
        text.append(RULE).append('\n');
        return text.toString();
    }

    private static String recordedSpan(ReplayResult result) {
        if (result.firstReceived() == null) {
            return "";
        }
        Duration span = Duration.between(result.firstReceived(), result.lastReceived());
        return String.format(Locale.ROOT, "; recorded over %.1f s from %s", span.toNanos() / 1e9,
                result.firstReceived().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private static void mirrored(StringBuilder text, String label, TargetStats target, long sent) {
        line(text, label, "mirrored %d of %d records to %s: completed %d, failed %d, dropped %d, skipped %d",
                target.count(Outcome.COMPLETED) + target.count(Outcome.FAILED), sent, target.target().name(),
                target.count(Outcome.COMPLETED), target.count(Outcome.FAILED), target.count(Outcome.DROPPED),
                target.count(Outcome.SKIPPED));
        String reasons = target.counts().entrySet().stream()
                .filter(e -> e.getValue() > 0 && e.getKey() != Reason.NONE)
                .map(e -> e.getKey().tag() + " " + e.getValue()).collect(Collectors.joining(", "));
        if (!reasons.isEmpty()) {
            line(text, "", "mirror.requests reasons for %s: %s", target.target().name(), reasons);
        }
        if (!target.recentFailures().isEmpty()) {
            line(text, "", "last failure: %s", abbreviate(target.recentFailures().get(0).toString()));
        }
    }

    private static void differences(StringBuilder text, ReplayResult result) {
        ComparisonSummary.TargetSummary candidate = result.compared();
        if (!result.options().compare()) {
            line(text, "differences", "not compared (--compare compares each answer with the recorded one)");
            return;
        }
        if (candidate == null || candidate.compared() == 0) {
            line(text, "differences", "none measured: no answer was compared");
            return;
        }
        line(text, "differences", "%s vs the recorded answers: %s", candidate.target(), counts(candidate));
        if (candidate.topFields().isEmpty()) {
            line(text, "", "no field differs, noise set aside");
        } else {
            int width = Math.max(25, candidate.topFields().stream().mapToInt(f -> f.path().length()).max().orElse(0));
            line(text, "", "%-" + width + "s  %-8s %7s", "field (noise set aside)", "how", "answers");
            for (ComparisonSummary.FieldCount field : candidate.topFields()) {
                line(text, "", "%-" + width + "s  %-8s %7d", field.path(), kind(field.kind()), field.count());
            }
        }
        ComparisonSummary.TargetSummary control = result.control() == null ? null
                : result.comparisons().target(result.control().target().name());
        if (control == null) {
            line(text, "  noise", "no control (--control URL): only --ignore-path and --ignore-header set fields aside");
        } else {
            List<ComparisonSummary.FieldCount> noise = result.comparisons().noise();
            line(text, "  noise", "the control, the primary's own version, differs from the recording in: %s",
                    noise.isEmpty() ? "nothing" : noise.stream().map(f -> f.path() + " (" + f.count() + " answers)")
                            .collect(Collectors.joining(", ")));
            line(text, "", "so that is noise: %d difference(s) set aside from %s's, not listed above",
                    candidate.noise(), candidate.target());
            line(text, "", "control vs the recording: %s", counts(control));
        }
        String label = "  e.g.";
        for (Comparison example : examples(result.comparisons(), candidate.target())) {
            List<String> shown = new ArrayList<>();
            example.differences().stream().limit(5).forEach(d -> shown.add(describe(d)));
            int more = example.differenceCount() - shown.size();
            if (more > 0) {
                shown.add("and " + more + " more");
            }
            wrapped(text, label, example.method() + " " + example.path() + " id=" + example.mirrorId() + ": ", shown, ",");
            label = "";
        }
    }

    /** Recent mismatches of the target, one per status it answered with, lowest first. */
    private static List<Comparison> examples(ComparisonSummary summary, String target) {
        Set<Integer> statuses = new HashSet<>();
        List<Comparison> examples = new ArrayList<>();
        for (Comparison mismatch : summary.recentMismatches()) {
            if (mismatch.target().equals(target) && examples.size() < EXAMPLES && statuses.add(mismatch.shadowStatus())) {
                examples.add(mismatch);
            }
        }
        examples.sort(Comparator.comparingInt(Comparison::shadowStatus));
        return examples;
    }

    private static void verdict(StringBuilder text, ReplayResult result) {
        String name = result.shadow().target().name();
        List<String> findings = new ArrayList<>();
        Map<Integer, Long> exact = result.shadowStatuses().getOrDefault(name, new java.util.TreeMap<>());
        long shadow5xx = exact.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        long recorded5xx = result.recordedStatuses().entrySet().stream().filter(e -> e.getKey() >= 500)
                .mapToLong(Map.Entry::getValue).sum();
        if (shadow5xx > recorded5xx) {
            findings.add(String.format(Locale.ROOT, "%d answers were 5xx; the primary answered %d 5xx", shadow5xx,
                    recorded5xx));
        }
        ComparisonSummary.TargetSummary compared = result.compared();
        if (compared != null && compared.mismatches() > 0) {
            String fields = compared.topFields().stream().limit(3)
                    .map(f -> f.path() + " " + kind(f.kind()) + " x" + f.count()).collect(Collectors.joining(", "));
            findings.add(String.format(Locale.ROOT, "%d of %d answers (%.1f%%) differ from the recorded ones, noise set"
                    + " aside; most often %s", compared.mismatches(), compared.compared(),
                    percent(compared.mismatches(), compared.compared()), fields));
        }
        if (result.unanswered() > 0) {
            findings.add(result.unanswered() + " copies got no answer (failed, dropped or skipped, reasons above)");
        }
        if (findings.isEmpty()) {
            if (compared != null && compared.compared() > 0) {
                line(text, "verdict", "same: %d of %d compared answers match the recorded ones, noise set aside%s",
                        compared.matches(), compared.compared(), compared.notComparable() > 0
                                ? " (" + compared.notComparable() + " not comparable)" : "");
            } else {
                line(text, "verdict", "%d copies answered; answers not compared", result.shadow().count(Outcome.COMPLETED));
            }
        } else {
            line(text, "verdict", "%s differs from the recording:", name);
            findings.forEach(finding -> wrapped(text, "", "- ", List.of(finding.split("(?<=[,;]) ")), ""));
        }
    }

    private static String describe(Difference difference) {
        return difference.path().equals("status")
                ? "status " + difference.primary() + " -> " + difference.shadow()
                : difference.path() + " " + kind(difference.kind());
    }

    private static String kind(Difference.Kind kind) {
        return kind == null ? "" : kind.name().toLowerCase(Locale.ROOT);
    }

    private static String label(String name) {
        return name.length() < LABEL_WIDTH ? name : "shadow";
    }


    private static void latency(StringBuilder text, String what, ComparisonSummary.Latency latency) {
        line(text, "", "%-26s %7.2f %7.2f %7.2f %7.2f", abbreviate(what, 26), millis(latency.p50()),
                millis(latency.p90()), millis(latency.p99()), millis(latency.max()));
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }



    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String abbreviate(String text) {
        return abbreviate(text, WRAP - LABEL_WIDTH);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }


}
