package dev.trafficmirror.examples;

import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The demo's picture, in place of the tutorial's Kiali graph: one self-contained HTML file (inline
 * SVG, inline CSS, no script, nothing fetched) with the traffic graph, the charts over time, the
 * outcome counts and the tables behind them. The markup is well-formed XML (XHTML syntax) so that
 * it can be checked by a parser.
 */
final class HtmlReport {

    static final String V1_COLOR = "#3182ce";
    static final String V2_COLOR = "#dd6b20";
    static final String ERROR_COLOR = "#c53030";
    static final String OK_COLOR = "#2f855a";
    static final String MUTED_COLOR = "#a0aec0";
    private static final int SHOWN_DIFFERENCES = 5;

    private static final String STYLE = """
            body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 24px 32px;
                   color: #1a202c; background: #f7fafc; }
            h1 { font-size: 26px; margin: 0 0 4px 0; }
            h2 { font-size: 18px; margin: 28px 0 10px 0; }
            h3 { font-size: 15px; margin: 16px 0 6px 0; }
            .sub { color: #4a5568; margin-bottom: 16px; }
            .verdict { border-radius: 6px; padding: 12px 16px; margin: 12px 0 18px 0; font-size: 15px; }
            .verdict.bad { background: #fff5f5; border: 2px solid #c53030; }
            .verdict.good { background: #f0fff4; border: 2px solid #2f855a; }
            .verdict strong { font-size: 17px; }
            .verdict ul { margin: 6px 0 0 0; }
            .panel { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px; }
            .tiles { display: flex; gap: 12px; margin: 16px 0; }
            .tile { flex: 1; background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 10px 14px; }
            .tile .big { font-size: 26px; font-weight: 600; }
            .tile .what { color: #4a5568; font-size: 13px; }
            .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
            svg { width: 100%; height: auto; display: block; }
            svg text { font-size: 12px; fill: #2d3748; }
            svg .title { font-size: 14px; font-weight: 600; }
            svg .tick, svg .unit { fill: #718096; font-size: 11px; }
            svg .grid { stroke: #edf2f7; }
            svg .axis { stroke: #a0aec0; }
            svg .node { font-size: 15px; font-weight: 600; }
            table { border-collapse: collapse; background: #fff; font-size: 14px; }
            th, td { border: 1px solid #e2e8f0; padding: 5px 10px; text-align: right; }
            th:first-child, td:first-child, td.text, th.text { text-align: left; }
            th { background: #edf2f7; }
            .note { color: #4a5568; font-size: 13px; }
            code { background: #edf2f7; padding: 1px 4px; border-radius: 3px; }
            .diff table { width: 100%; }
            .diff table#recent-mismatches { margin-bottom: 20px; }
            .diff td.value { font-family: monospace; font-size: 12px; max-width: 330px; overflow-wrap: anywhere; }
            .diff td.value.added { background: #f0fff4; }
            .diff td.value.removed { background: #fff5f5; }
            """;

    private HtmlReport() {
    }

    static String render(DemoResult result) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>trafficmirror demo: reviews v1 to v2</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        header(html, result);
        verdict(html, result);
        html.append("<div class=\"panel\">").append(trafficGraph(result)).append("</div>\n");
        tiles(html, result);
        differences(html, result.differences());
        charts(html, result);
        tables(html, result);
        footer(html, result);
        return html.append("</body>\n</html>\n").toString();
    }

    private static void header(StringBuilder html, DemoResult result) {
        html.append("<h1>reviews v1 &#8594; v2: mirrored traffic</h1>\n<div class=\"sub\">")
                .append(Html.escape(String.format(Locale.ROOT,
                        "%d requests at %d/s for %s to reviews-v1 (released); every one mirrored by trafficmirror "
                                + "to reviews-v2 (deployed, not released), whose answers are compared with v1's, then "
                                + "discarded, and to reviews-v1-control (v1 again), which tells noise from differences.",
                        result.users().sent(), result.options().qps(),
                        DemoOptions.format(result.options().duration()))))
                .append("</div>\n");
    }

    private static void verdict(StringBuilder html, DemoResult result) {
        List<String> findings = result.v2Findings();
        html.append("<div class=\"verdict ").append(findings.isEmpty() ? "good" : "bad").append("\" id=\"verdict\"><strong>")
                .append(findings.isEmpty() ? "No regression seen in reviews-v2" : "Do not release reviews-v2 yet")
                .append("</strong>");
        if (!findings.isEmpty()) {
            html.append("<ul>");
            findings.forEach(finding -> html.append("<li>").append(Html.escape(finding)).append("</li>"));
            html.append("</ul>");
        }
        html.append("<div class=\"note\">Users were not affected: reviews-v1 answered ")
                .append(Html.escape(SummaryText.statuses(result.users().statuses())))
                .append(String.format(Locale.ROOT, ", median round trip %.2f ms.", result.users().roundTrip().p50()))
                .append("</div></div>\n");
    }

    /**
     * Users, reviews-v1, reviews-v2 and the control with their edges, coloured by error rate like a
     * Kiali graph.
     */
    static String trafficGraph(DemoResult result) {
        double seconds = Math.max(1e-9, result.elapsed().toNanos() / 1e9);
        long userErrors = result.users().sent() - result.users().statuses().entrySet().stream()
                .filter(e -> e.getKey() < 500).mapToLong(e -> e.getValue()).sum();
        double userErrorRate = DemoResult.percent(userErrors, result.users().sent());
        String v1Health = health(userErrorRate);
        double v2ErrorRate = shadowErrorRate(result.v2(), result.mirror());
        String v2Health = health(v2ErrorRate);
        double controlErrorRate = shadowErrorRate(result.control(), result.controlMirror());
        String controlHealth = health(controlErrorRate);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"traffic-graph\" viewBox=\"0 0 1120 270\" role=\"img\"")
                .append(" aria-label=\"Traffic graph\">");
        svg.append("<defs>");
        marker(svg, "arrow-v1", v1Health);
        marker(svg, "arrow-v2", v2Health);
        marker(svg, "arrow-control", controlHealth);
        svg.append("</defs>");
        svg.append("<text class=\"title\" x=\"8\" y=\"20\">Traffic graph</text>");
        node(svg, 40, 60, "users", "load generator", "#4a5568");
        node(svg, 470, 60, "reviews-v1", "released, MirrorFilter", v1Health);
        node(svg, 900, 60, "reviews-v2", "deployed, not released", v2Health);
        node(svg, 900, 176, ReviewsDemo.CONTROL, "v1 again: the control", controlHealth);
        edge(svg, 220, 97, 462, "arrow-v1", v1Health, false,
                String.format(Locale.ROOT, "%.1f req/s", result.users().sent() / seconds),
                String.format(Locale.ROOT, "%.1f%% errors", userErrorRate));
        edge(svg, 650, 97, 892, "arrow-v2", v2Health, true,
                String.format(Locale.ROOT, "mirror %.1f req/s", result.mirror().sent() / seconds),
                String.format(Locale.ROOT, "%.1f%% 5xx or failed", v2ErrorRate));
        // The control's copies leave v1 downwards, then run to the control.
        svg.append("<polyline fill=\"none\" points=\"560,134 560,213 600,213\" stroke=\"").append(controlHealth)
                .append("\" stroke-width=\"3\" stroke-dasharray=\"9 6\"/>");
        edge(svg, 600, 213, 892, "arrow-control", controlHealth, true,
                String.format(Locale.ROOT, "mirror %.1f req/s", result.controlMirror().sent() / seconds),
                String.format(Locale.ROOT, "%.1f%% 5xx or failed", controlErrorRate));
        svg.append("<text x=\"771\" y=\"150\" text-anchor=\"middle\" fill=\"#718096\">answers compared with v1's,"
                + " then discarded</text>");
        return svg.append("</svg>").toString();
    }

    /** 5xx answers and copies without an answer, per copy sent. */
    private static double shadowErrorRate(ServiceSummary service, MirrorMeters meters) {
        return DemoResult.percent(service.serverErrors() + meters.count(Outcome.FAILED), meters.sent());
    }

    private static String health(double errorPercent) {
        return errorPercent == 0 ? OK_COLOR : errorPercent < 5 ? V2_COLOR : ERROR_COLOR;
    }

    private static void marker(StringBuilder svg, String id, String color) {
        svg.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\"")
                .append(" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(color)
                .append("\"/></marker>");
    }

    private static void node(StringBuilder svg, int x, int y, String name, String role, String color) {
        svg.append("<rect x=\"").append(x).append("\" y=\"").append(y)
                .append("\" width=\"180\" height=\"74\" rx=\"37\" fill=\"#fff\"")
                .append(" stroke=\"").append(color).append("\" stroke-width=\"3\"/>");
        svg.append("<text class=\"node\" x=\"").append(x + 90).append("\" y=\"").append(y + 33)
                .append("\" text-anchor=\"middle\">").append(Html.escape(name)).append("</text>");
        svg.append("<text x=\"").append(x + 90).append("\" y=\"").append(y + 53)
                .append("\" text-anchor=\"middle\" fill=\"#718096\">").append(Html.escape(role)).append("</text>");
    }

    /** A horizontal edge at height {@code y}, with a label above and one below. */
    private static void edge(StringBuilder svg, int from, int y, int to, String marker, String color, boolean dashed,
            String above, String below) {
        svg.append("<line x1=\"").append(from).append("\" y1=\"").append(y).append("\" x2=\"").append(to)
                .append("\" y2=\"").append(y).append("\" stroke=\"")
                .append(color).append("\" stroke-width=\"3\"").append(dashed ? " stroke-dasharray=\"9 6\"" : "")
                .append(" marker-end=\"url(#").append(marker).append(")\"/>");
        int middle = (from + to) / 2;
        svg.append("<text x=\"").append(middle).append("\" y=\"").append(y - 11).append("\" text-anchor=\"middle\">")
                .append(Html.escape(above)).append("</text>");
        svg.append("<text x=\"").append(middle).append("\" y=\"").append(y + 21)
                .append("\" text-anchor=\"middle\" fill=\"").append(color).append("\">").append(Html.escape(below))
                .append("</text>");
    }

    private static void tiles(StringBuilder html, DemoResult result) {
        long mirrored = result.mirror().sent();
        html.append("<div class=\"tiles\">");
        tile(html, "served-by-v1", String.valueOf(result.v1().requests()),
                "requests served by reviews-v1: " + SummaryText.statuses(result.v1().statuses()));
        tile(html, "mirrored", mirrored + " of " + result.users().sent(), "requests mirrored to reviews-v2");
        tile(html, "v2-errors", String.format(Locale.ROOT, "%d (%.1f%%)", result.v2().serverErrors(),
                DemoResult.percent(result.v2().serverErrors(), result.v2().requests())), "reviews-v2 5xx answers");
        ResponseDifferences differences = result.differences();
        if (differences.measured()) {
            tile(html, "v2-differs", differences.candidate().mismatches() + " of " + differences.candidate().compared(),
                    "reviews-v2 answers that differ from v1's, noise set aside");
        }
        tile(html, "median-latency", String.format(Locale.ROOT, "%.1f / %.1f ms", result.v1().latency().p50(),
                result.v2().latency().p50()), "median server time, v1 / v2");
        html.append("</div>\n");
    }

    private static void tile(StringBuilder html, String id, String big, String what) {
        html.append("<div class=\"tile\" id=\"tile-").append(id).append("\"><div class=\"big\">").append(Html.escape(big))
                .append("</div><div class=\"what\">").append(Html.escape(what)).append("</div></div>");
    }

    private static void charts(StringBuilder html, DemoResult result) {
        Timeline timeline = result.timeline();
        double bucket = timeline.bucketSeconds();
        String interval = interval(timeline);
        html.append("<div class=\"grid\">\n<div class=\"panel\">")
                .append(SvgCharts.lineChart("chart-traffic", "Traffic: requests per second", "req/s", bucket, List.of(
                        new SvgCharts.Series("reviews-v1 (users)", timeline.v1().requestRate(bucket), V1_COLOR, false,
                                5.5),
                        new SvgCharts.Series("reviews-v2 (mirrored copies)", timeline.v2().requestRate(bucket),
                                V2_COLOR, true))))
                .append("</div>\n<div class=\"panel\">")
                .append(SvgCharts.columnChart("chart-errors", "Errors (5xx) per " + interval + " interval", "5xx", bucket,
                        List.of(new SvgCharts.Series("reviews-v2: " + result.v2().serverErrors() + " in all",
                                        doubles(timeline.v2().serverErrors()), ERROR_COLOR, false),
                                new SvgCharts.Series("reviews-v1: " + result.v1().serverErrors() + " in all",
                                        doubles(timeline.v1().serverErrors()), V1_COLOR, false))))
                .append("</div>\n<div class=\"panel\">")
                .append(SvgCharts.lineChart("chart-latency", "Server time per " + interval + " interval, v1 vs v2", "ms",
                        bucket, List.of(
                                new SvgCharts.Series("v1 p50", timeline.v1().p50Millis(), V1_COLOR, false),
                                new SvgCharts.Series("v1 p99", timeline.v1().p99Millis(), V1_COLOR, true),
                                new SvgCharts.Series("v2 p50", timeline.v2().p50Millis(), V2_COLOR, false),
                                new SvgCharts.Series("v2 p99", timeline.v2().p99Millis(), V2_COLOR, true))))
                .append("</div>\n<div class=\"panel\">")
                .append(SvgCharts.barList("chart-outcomes", "Outcome counts", outcomeBars(result)))
                .append("</div>\n</div>\n");
    }

    static List<SvgCharts.Bar> outcomeBars(DemoResult result) {
        List<SvgCharts.Bar> bars = new ArrayList<>();
        result.users().statuses().forEach((status, count) -> bars.add(new SvgCharts.Bar("users", "users got " + status,
                count, status < 500 ? OK_COLOR : ERROR_COLOR)));
        long noAnswer = result.users().failures().values().stream().mapToLong(Long::longValue).sum();
        if (noAnswer > 0) {
            bars.add(new SvgCharts.Bar("users", "users got no answer", noAnswer, ERROR_COLOR));
        }
        for (Outcome outcome : Outcome.values()) {
            bars.add(new SvgCharts.Bar("mirror", "mirror " + outcome.tag(), result.mirror().count(outcome),
                    outcome == Outcome.COMPLETED ? V2_COLOR : outcome == Outcome.FAILED ? ERROR_COLOR : MUTED_COLOR));
        }
        result.v2().statuses().forEach((status, count) -> bars.add(new SvgCharts.Bar("v2", "reviews-v2 answered " + status,
                count, status < 500 ? OK_COLOR : ERROR_COLOR)));
        ComparisonSummary.TargetSummary compared = result.differences().candidate();
        if (compared != null) {
            bars.add(new SvgCharts.Bar("compare", "v2 answers match v1's", compared.matches(), OK_COLOR));
            bars.add(new SvgCharts.Bar("compare", "v2 answers differ", compared.mismatches(), V2_COLOR));
            bars.add(new SvgCharts.Bar("compare", "v2 answers not comparable", compared.notComparable(), MUTED_COLOR));
            if (compared.errors() > 0) {
                bars.add(new SvgCharts.Bar("compare", "comparison errors", compared.errors(), ERROR_COLOR));
            }
        }
        return bars;
    }

    private static void tables(StringBuilder html, DemoResult result) {
        html.append("<h2>Latency</h2>\n<table id=\"latency\"><tr><th>ms</th><th>requests</th><th>p50</th><th>p90</th>")
                .append("<th>p99</th><th>max</th></tr>");
        latencyRow(html, "reviews-v1 server time", result.v1().latency());
        latencyRow(html, "reviews-v2 server time", result.v2().latency());
        latencyRow(html, "users &#8594; reviews-v1 round trip", result.users().roundTrip());
        html.append(String.format(Locale.ROOT, "<tr><td>mirror &#8594; reviews-v2 round trip (mean of "
                        + "<code>mirror.shadow.duration</code>, after v1 answered)</td><td>%d</td><td colspan=\"4\""
                        + " class=\"text\">mean %.2f</td></tr>",
                result.mirror().statusClasses().values().stream().mapToLong(Long::longValue).sum(),
                result.mirror().meanRoundTripMillis()));
        html.append("</table>\n");

        html.append("<h2>reviews-v2 errors</h2>\n");
        if (result.v2().errors().isEmpty()) {
            html.append("<p id=\"v2-errors\">None.</p>\n");
        } else {
            html.append("<table id=\"v2-errors\"><tr><th>status</th><th>count</th><th class=\"text\">message</th>")
                    .append("<th class=\"text\">first requests</th></tr>");
            for (ServiceSummary.ErrorGroup error : result.v2().errors()) {
                html.append("<tr><td>").append(error.status()).append("</td><td>").append(error.count())
                        .append("</td><td class=\"text\">").append(Html.escape(String.valueOf(error.message())))
                        .append("</td><td class=\"text\">").append(Html.escape(String.join(", ", error.examples())))
                        .append("</td></tr>");
            }
            html.append("</table>\n");
        }

        metricsTable(html, result.mirror(), result.controlMirror());
    }

    /** trafficmirror's own meters, one column per target. */
    private static void metricsTable(StringBuilder html, MirrorMeters v2, MirrorMeters control) {
        html.append("<h2>trafficmirror metrics</h2>\n<table id=\"mirror-metrics\"><tr><th>meter</th><th>")
                .append(Html.escape(v2.target())).append("</th><th>").append(Html.escape(control.target()))
                .append("</th></tr>");
        for (Outcome outcome : Outcome.values()) {
            metricsRow(html, "mirror.requests", "outcome=" + outcome.tag(), v2.count(outcome), control.count(outcome));
        }
        for (String reason : union(v2.reasons(), control.reasons())) {
            metricsRow(html, "mirror.requests", "reason=" + reason, v2.reasons().getOrDefault(reason, 0L),
                    control.reasons().getOrDefault(reason, 0L));
        }
        for (String status : union(v2.statusClasses(), control.statusClasses())) {
            metricsRow(html, "mirror.shadow.duration", "status=" + status, v2.statusClasses().getOrDefault(status, 0L),
                    control.statusClasses().getOrDefault(status, 0L));
        }
        for (String compared : union(v2.comparisons(), control.comparisons())) {
            metricsRow(html, MirrorMeters.COMPARE_METER, "result=" + compared, v2.comparisons().getOrDefault(compared, 0L),
                    control.comparisons().getOrDefault(compared, 0L));
        }
        html.append("</table>\n");
    }

    private static void metricsRow(StringBuilder html, String meter, String tag, long v2, long control) {
        html.append("<tr><td><code>").append(meter).append("</code> ").append(Html.escape(tag)).append("</td><td>")
                .append(v2).append("</td><td>").append(control).append("</td></tr>");
    }

    private static SortedSet<String> union(Map<String, Long> a, Map<String, Long> b) {
        SortedSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static void latencyRow(StringBuilder html, String what, LatencyStats stats) {
        html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
                + "<td>%.2f</td></tr>", what, stats.count(), stats.p50(), stats.p90(), stats.p99(), stats.max()));
    }

    /**
     * The response comparison section: result counts for v2 and the control, the fields v2 answers
     * differently, the noise the control revealed, and recent mismatches with their values.
     */
    private static void differences(StringBuilder html, ResponseDifferences differences) {
        html.append("<h2>Response differences, reviews-v2 vs reviews-v1</h2>\n")
                .append("<div class=\"diff\" id=\"response-differences\">");
        if (!differences.measured()) {
            html.append("<p class=\"note\">None measured: no answer of reviews-v2 was compared.</p></div>\n");
            return;
        }
        ComparisonSummary.TargetSummary candidate = differences.candidate();
        ComparisonSummary.TargetSummary control = differences.control();
        html.append("<p class=\"note\">Each copy's answer is compared with the answer reviews-v1 gave the user: status, "
                + "headers, and the JSON body field by field (<code>Mirror.comparisons()</code>). The control, a second "
                + "reviews-v1, gets the same copies: the fields where it differs from v1 are noise, set aside from "
                + "v2's differences.</p>\n");
        html.append("<table id=\"comparison-counts\"><tr><th>target</th><th>compared</th><th>match</th><th>mismatch</th>")
                .append("<th>not comparable</th><th>error</th><th>differences set aside as noise</th></tr>");
        countsRow(html, candidate.target(), candidate, String.valueOf(candidate.noise()));
        if (control != null) {
            countsRow(html, control.target() + " (the control: v1's code)", control, "&#8212;");
        }
        html.append("</table>\n<div class=\"grid\"><div><h3>Fields reviews-v2 answers differently</h3>")
                .append("<table id=\"v2-differences\"><tr><th>field</th><th class=\"text\">how</th><th>answers</th>")
                .append("<th>of compared</th></tr>");
        for (ComparisonSummary.FieldCount field : candidate.topFields()) {
            html.append("<tr><td><code>").append(Html.escape(field.path())).append("</code></td><td class=\"text\">")
                    .append(ResponseDifferences.kind(field.kind())).append("</td><td>").append(field.count())
                    .append(String.format(Locale.ROOT, "</td><td>%.1f%%</td></tr>",
                            DemoResult.percent(field.count(), candidate.compared())));
        }
        if (candidate.topFields().isEmpty()) {
            html.append("<tr><td colspan=\"4\" class=\"text\">none, noise set aside</td></tr>");
        }
        html.append("</table></div>\n<div><h3>Noise: fields where reviews-v1 and its control differ</h3>")
                .append("<table id=\"noise\"><tr><th>field</th><th>answers</th></tr>");
        for (ComparisonSummary.FieldCount field : differences.noise()) {
            html.append("<tr><td><code>").append(Html.escape(field.path())).append("</code></td><td>")
                    .append(field.count()).append("</td></tr>");
        }
        if (differences.noise().isEmpty()) {
            html.append("<tr><td colspan=\"2\" class=\"text\">")
                    .append(control == null ? "not measured: no control" : "none").append("</td></tr>");
        }
        html.append("</table><p class=\"note\">The same code answers differently here, so these fields say nothing "
                + "about reviews-v2: they are not in its list.</p></div></div>\n");
        html.append("<h3>Recent mismatches (look the id up in both logs)</h3>\n<table id=\"recent-mismatches\"><tr>")
                .append("<th>request</th><th class=\"text\">X-Mirror-Id</th><th class=\"text\">field</th>")
                .append("<th class=\"text\">how</th>")
                .append("<th class=\"text\">reviews-v1 answered</th><th class=\"text\">reviews-v2 answered</th></tr>");
        for (Comparison example : differences.examples()) {
            List<Difference> shown = example.differences().stream().limit(SHOWN_DIFFERENCES).toList();
            int more = example.differenceCount() - shown.size();
            int rows = shown.size() + (more > 0 ? 1 : 0);
            for (int i = 0; i < shown.size(); i++) {
                Difference difference = shown.get(i);
                html.append("<tr>");
                if (i == 0) {
                    html.append("<td class=\"text\" rowspan=\"").append(rows).append("\">")
                            .append(Html.escape(example.method() + " " + example.path())).append("</td>")
                            .append("<td class=\"text\" rowspan=\"").append(rows).append("\"><code>")
                            .append(Html.escape(example.mirrorId())).append("</code></td>");
                }
                String kind = ResponseDifferences.kind(difference.kind());
                html.append("<td class=\"text\"><code>").append(Html.escape(difference.path())).append("</code></td>")
                        .append("<td class=\"text\">").append(kind).append("</td>")
                        .append("<td class=\"text value ").append(kind).append("\">")
                        .append(Html.escape(difference.primary() == null ? "" : difference.primary())).append("</td>")
                        .append("<td class=\"text value ").append(kind).append("\">")
                        .append(Html.escape(difference.shadow() == null ? "" : difference.shadow())).append("</td></tr>");
            }
            if (more > 0) {
                html.append("<tr><td colspan=\"4\" class=\"text note\">and ").append(more).append(" more</td></tr>");
            }
        }
        html.append("</table>\n</div>\n");
    }

    private static void countsRow(StringBuilder html, String name, ComparisonSummary.TargetSummary target, String noise) {
        html.append("<tr><td>").append(Html.escape(name)).append("</td><td>").append(target.compared())
                .append("</td><td>").append(target.matches()).append("</td><td>").append(target.mismatches())
                .append("</td><td>").append(target.notComparable()).append("</td><td>").append(target.errors())
                .append("</td><td>").append(noise).append("</td></tr>");
    }

    private static void footer(StringBuilder html, DemoResult result) {
        html.append("<h2>How this was made</h2>\n<p class=\"note\">")
                .append(Html.escape(String.format(Locale.ROOT,
                        "./mvnw -B -q -pl mirror-examples -am -DskipTests package exec:java "
                                + "-Ddemo.args=\"--duration %s --qps %d\". Server time is measured inside each "
                                + "service, the round trip by the users' client; charts use %s intervals. The page is "
                                + "self-contained: no script, nothing loaded from elsewhere.",
                        DemoOptions.format(result.options().duration()), result.options().qps(),
                        interval(result.timeline()))))
                .append("</p>\n");
    }

    private static String interval(Timeline timeline) {
        return DemoOptions.format(Duration.ofMillis(Math.round(timeline.bucketSeconds() * 1000)));
    }

    private static double[] doubles(long[] values) {
        return Arrays.stream(values).asDoubleStream().toArray();
    }
}
