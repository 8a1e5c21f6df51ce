package dev.trafficmirror.report;

import dev.trafficmirror.core.MirrorFailure;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.compare.JsonComparison;
import dev.trafficmirror.report.ReportData.TargetView;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Draws {@link ReportData} as one self-contained HTML page: inline SVG and CSS, no script, nothing
 * fetched, every value escaped. The markup is well-formed XML (XHTML syntax) so that a parser can
 * check it.
 */
final class HtmlReport {

    /** Allows the page's own inline styles and nothing else: no script, no fetch, no frame. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static final String ERROR_COLOR = "#c53030";
    static final String OK_COLOR = "#2f855a";
    static final String WARN_COLOR = "#dd6b20";
    static final String MUTED_COLOR = "#a0aec0";
    static final String PRIMARY_COLOR = "#4a5568";
    /** Differences shown per recent mismatch. */
    static final int SHOWN_DIFFERENCES = 5;
    /** Recent mismatches shown. */
    static final int SHOWN_MISMATCHES = 5;
    /** Target nodes the traffic graph draws; the rest are in the tables. */
    static final int GRAPH_TARGETS = 6;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

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
            table { border-collapse: collapse; background: #fff; font-size: 14px; margin-bottom: 12px; }
            th, td { border: 1px solid #e2e8f0; padding: 5px 10px; text-align: right; }
            th:first-child, td:first-child, td.text, th.text { text-align: left; }
            th { background: #edf2f7; }
            .note { color: #4a5568; font-size: 13px; }
            code { background: #edf2f7; padding: 1px 4px; border-radius: 3px; }
            .diff table { width: 100%; }
            td.value { font-family: monospace; font-size: 12px; max-width: 330px; overflow-wrap: anywhere; }
            td.value.added { background: #f0fff4; }
            td.value.removed { background: #fff5f5; }
            """;

    private HtmlReport() {
    }

    static String render(ReportData data) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
                .append("\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Html.escape(data.title())).append(": mirrored traffic</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        header(html, data);
        verdict(html, data);
        html.append("<div class=\"panel\">").append(trafficGraph(data)).append("</div>\n");
        tiles(html, data);
        charts(html, data);
        differences(html, data);
        tables(html, data);
        footer(html, data);
        return html.append("</body>\n</html>\n").toString();
    }

    private static void header(StringBuilder html, ReportData data) {
        html.append("<h1 id=\"title\">").append(Html.escape(data.title())).append(": mirrored traffic</h1>\n");
        if (data.description() != null && !data.description().isBlank()) {
            html.append("<div class=\"sub\" id=\"description\">").append(Html.escape(data.description())).append("</div>\n");
        }
        ReportData.Timeline timeline = data.timeline();
        html.append("<div class=\"sub\" id=\"status\">").append(Html.escape(String.format(Locale.ROOT,
                "Read from the live mirror at %s. Mirroring is %s, to %d target(s). Charts: %d interval(s) of %s since %s.",
                TIME.format(data.generatedAt()), data.enabled() ? "on" : "off (paused or closed)", data.targets().size(),
                timeline.buckets(), duration(timeline.bucketSeconds()), CLOCK.format(timeline.start()))))
                .append("</div>\n");
    }

    private static void verdict(StringBuilder html, ReportData data) {
        List<String> findings = new ArrayList<>();
        List<String> flagged = new ArrayList<>();
        for (TargetView target : data.targets()) {
            if (!target.control()) {
                List<String> own = data.findings(target);
                if (!own.isEmpty()) {
                    flagged.add(target.name());
                    findings.addAll(own);
                }
            }
        }
        html.append("<div class=\"verdict ").append(findings.isEmpty() ? "good" : "bad").append("\" id=\"verdict\"><strong>")
                .append(findings.isEmpty() ? (data.targets().isEmpty() ? "No target to mirror to" : "No regression seen")
                        : "Look before releasing " + Html.escape(String.join(", ", flagged)))
                .append("</strong>");
        if (!findings.isEmpty()) {
            html.append("<ul>");
            findings.forEach(finding -> html.append("<li>").append(Html.escape(finding)).append("</li>"));
            html.append("</ul>");
        }
        html.append("<div class=\"note\">").append(data.targets().stream().anyMatch(TargetView::compares)
                ? "Errors, answers that differ from the primary's (noise set aside) and latency, since the mirror started."
                : "Errors since the mirror started. No target compares its answers with the primary's: mark one"
                        + " compare(true) (mirror.compare.enabled) to see where they differ.")
                .append(" The primary's users were not affected: copies are sent after it answered.</div></div>\n");
    }

    /** The primary and its targets with their edges, coloured by error rate like a Kiali graph. */
    static String trafficGraph(ReportData data) {
        List<TargetView> shown = data.targets().stream().limit(GRAPH_TARGETS).toList();
        int rows = Math.max(1, shown.size());
        int height = 60 + rows * 100;
        double seconds = Math.max(1e-9, data.timeline().buckets() * data.timeline().bucketSeconds());
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"traffic-graph\" viewBox=\"0 0 1120 ").append(height)
                .append("\" role=\"img\" aria-label=\"Traffic graph\">");
        svg.append("<defs>");
        for (int i = 0; i < shown.size(); i++) {
            marker(svg, "arrow-" + i, health(shown.get(i).errorPercent()));
        }
        svg.append("</defs>");
        svg.append("<text class=\"title\" x=\"8\" y=\"20\">Traffic graph</text>");
        int primaryY = 40 + (rows * 100 - 74) / 2;
        node(svg, 60, primaryY, data.primaryName(), "its MirrorFilter copies requests", PRIMARY_COLOR);
        for (int i = 0; i < shown.size(); i++) {
            TargetView target = shown.get(i);
            String color = health(target.errorPercent());
            int y = 40 + i * 100;
            node(svg, 860, y, target.name(), target.control() ? "the control: the primary's version"
                    : target.compares() ? "answers compared, then discarded" : "answers discarded", color);
            double copies = sum(data.timeline().series().get(i).copiesPerSecond()) * data.timeline().bucketSeconds();
            svg.append("<path fill=\"none\" d=\"M240,").append(primaryY + 37).append(" C550,").append(primaryY + 37)
                    .append(" 550,").append(y + 37).append(" 852,").append(y + 37).append("\" stroke=\"").append(color)
                    .append("\" stroke-width=\"3\" stroke-dasharray=\"9 6\" marker-end=\"url(#arrow-").append(i)
                    .append(")\"/>");
            svg.append("<text x=\"700\" y=\"").append(y + 18).append("\" text-anchor=\"middle\">")
                    .append(Html.escape(String.format(Locale.ROOT, "%.1f copies/s, %s %%", copies / seconds,
                            SvgCharts.fmt(target.percentage()))))
                    .append("</text>");
            svg.append("<text x=\"700\" y=\"").append(y + 64).append("\" text-anchor=\"middle\" fill=\"").append(color)
                    .append("\">").append(Html.escape(String.format(Locale.ROOT, "%.1f%% %s", target.errorPercent(),
                            data.timed() ? "5xx or failed" : "failed"))).append("</text>");
        }
        if (data.targets().size() > shown.size()) {
            svg.append("<text x=\"860\" y=\"").append(height - 8).append("\" fill=\"#718096\">and ")
                    .append(data.targets().size() - shown.size()).append(" more, in the tables</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static String health(double errorPercent) {
        return errorPercent == 0 ? OK_COLOR : errorPercent < 5 ? WARN_COLOR : ERROR_COLOR;
    }

    private static void marker(StringBuilder svg, String id, String color) {
        svg.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\"")
                .append(" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(color)
                .append("\"/></marker>");
    }

    private static void node(StringBuilder svg, int x, int y, String name, String role, String color) {
        svg.append("<rect x=\"").append(x).append("\" y=\"").append(y)
                .append("\" width=\"180\" height=\"74\" rx=\"37\" fill=\"#fff\" stroke=\"").append(color)
                .append("\" stroke-width=\"3\"/>");
        svg.append("<text class=\"node\" x=\"").append(x + 90).append("\" y=\"").append(y + 33)
                .append("\" text-anchor=\"middle\">").append(Html.escape(abbreviate(name, 20))).append("</text>");
        svg.append("<text x=\"").append(x + 90).append("\" y=\"").append(y + 53)
                .append("\" text-anchor=\"middle\" fill=\"#718096\" font-size=\"10\">").append(Html.escape(role))
                .append("</text>");
    }

    private static void tiles(StringBuilder html, ReportData data) {
        long seen = data.targets().stream().mapToLong(TargetView::requests).max().orElse(0);
        long sent = data.targets().stream().mapToLong(TargetView::sent).sum();
        long failed = data.targets().stream().mapToLong(t -> t.count(Outcome.FAILED)).sum();
        long notSent = data.targets().stream().mapToLong(t -> t.count(Outcome.DROPPED) + t.count(Outcome.SKIPPED)).sum();
        html.append("<div class=\"tiles\">");
        tile(html, "seen", String.valueOf(seen), "requests the mirror saw");
        tile(html, "sent", String.valueOf(sent), "copies sent, to every target");
        tile(html, "failed", String.valueOf(failed), "copies without an answer");
        tile(html, "not-sent", String.valueOf(notSent), "copies dropped or skipped, each with its reason");
        List<ComparisonSummary.TargetSummary> candidates = data.targets().stream()
                .filter(t -> !t.control() && t.comparison() != null).map(TargetView::comparison).toList();
        if (!candidates.isEmpty()) {
            tile(html, "differ", candidates.stream().mapToLong(ComparisonSummary.TargetSummary::mismatches).sum() + " of "
                    + candidates.stream().mapToLong(ComparisonSummary.TargetSummary::compared).sum(),
                    "answers that differ from the primary's, noise set aside");
        }
        html.append("</div>\n");
    }

    private static void tile(StringBuilder html, String id, String big, String what) {
        html.append("<div class=\"tile\" id=\"tile-").append(id).append("\"><div class=\"big\">").append(Html.escape(big))
                .append("</div><div class=\"what\">").append(Html.escape(what)).append("</div></div>");
    }

    private static void charts(StringBuilder html, ReportData data) {
        ReportData.Timeline timeline = data.timeline();
        String since = "seconds since " + CLOCK.format(timeline.start()) + " UTC";
        String interval = duration(timeline.bucketSeconds());
        List<SvgCharts.Series> copies = new ArrayList<>();
        List<SvgCharts.Series> errors = new ArrayList<>();
        List<SvgCharts.Series> latency = new ArrayList<>();
        for (int i = 0; i < data.targets().size(); i++) {
            TargetView target = data.targets().get(i);
            ReportData.Series series = timeline.series().get(i);
            copies.add(new SvgCharts.Series(target.name(), series.copiesPerSecond(), target.color(), target.control()));
            errors.add(new SvgCharts.Series(target.name(), series.errors(), target.color(), false));
            latency.add(new SvgCharts.Series(target.name(), series.meanMillis(), target.color(), target.control()));
        }
        html.append("<h2>Over time</h2>\n<div class=\"grid\">\n<div class=\"panel\">");
        html.append(timeline.buckets() == 0 || copies.isEmpty() ? empty("chart-copies", "Copies per second")
                : SvgCharts.lineChart("chart-copies", "Copies per second", "copies/s", since, timeline.bucketSeconds(),
                        false, copies));
        html.append("</div>\n<div class=\"panel\">");
        String errorTitle = (data.timed() ? "5xx answers and failed copies" : "Failed copies") + " per " + interval;
        html.append(timeline.buckets() == 0 || errors.isEmpty() ? empty("chart-errors", errorTitle)
                : SvgCharts.columnChart("chart-errors", errorTitle, "count", since, timeline.bucketSeconds(), errors));
        html.append("</div>\n<div class=\"panel\">");
        String latencyTitle = "Round trip per " + interval + " (mean of mirror.shadow.duration)";
        html.append(!data.timed() ? empty("chart-latency", "Round trips: give the report the mirror's MeterRegistry")
                : timeline.buckets() == 0 || latency.isEmpty() ? empty("chart-latency", latencyTitle)
                : SvgCharts.lineChart("chart-latency", latencyTitle, "ms", since, timeline.bucketSeconds(), false, latency));
        html.append("</div>\n<div class=\"panel\">")
                .append(SvgCharts.barList("chart-outcomes", "Outcome counts", outcomeBars(data)))
                .append("</div>\n</div>\n");
    }

    private static String empty(String id, String title) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\" class=\"chart\" viewBox=\"0 0 560 80\""
                + " role=\"img\" aria-label=\"" + Html.escape(title) + "\"><text class=\"title\" x=\"8\" y=\"20\">"
                + Html.escape(title) + "</text><text x=\"8\" y=\"50\" fill=\"#718096\">nothing to draw yet</text></svg>";
    }

    static List<SvgCharts.Bar> outcomeBars(ReportData data) {
        List<SvgCharts.Bar> bars = new ArrayList<>();
        for (TargetView target : data.targets()) {
            for (Outcome outcome : Outcome.values()) {
                bars.add(new SvgCharts.Bar(target.name(), target.name() + " " + outcome.tag(), target.count(outcome),
                        outcome == Outcome.COMPLETED ? target.color() : outcome == Outcome.FAILED ? ERROR_COLOR
                                : MUTED_COLOR));
            }
            target.statusClasses().forEach((status, count) -> bars.add(new SvgCharts.Bar(target.name(),
                    target.name() + " answered " + status, count, status.startsWith("5") ? ERROR_COLOR : OK_COLOR)));
            ComparisonSummary.TargetSummary compared = target.comparison();
            if (compared != null) {
                bars.add(new SvgCharts.Bar(target.name(), target.name() + " answers match", compared.matches(), OK_COLOR));
                bars.add(new SvgCharts.Bar(target.name(), target.name() + " answers differ", compared.mismatches(),
                        WARN_COLOR));
            }
        }
        return bars;
    }

    /**
     * The response comparison section: result counts per target, the fields each candidate answers
     * differently, the noise the control revealed, and recent mismatches, with their values only
     * when the report shows values.
     */
    private static void differences(StringBuilder html, ReportData data) {
        html.append("<h2>Response differences</h2>\n<div class=\"diff\" id=\"response-differences\">");
        List<TargetView> compared = data.targets().stream().filter(t -> t.comparison() != null).toList();
        if (compared.isEmpty()) {
            html.append("<p class=\"note\">None measured: no target compares its answers with the primary's.</p></div>\n");
            return;
        }
        html.append("<p class=\"note\" id=\"comparison-note\">").append(Html.escape(comparisonNote(data.comparisons().json())))
                .append("</p>\n");
        html.append("<table id=\"comparison-counts\"><tr><th>target</th><th>compared</th><th>match</th><th>mismatch</th>")
                .append("<th>not comparable</th><th>error</th><th>not compared (comparing behind)</th>")
                .append("<th>differences set aside as noise</th>")
                .append("<th>p50 ms, primary / target</th></tr>");
        for (TargetView target : compared) {
            ComparisonSummary.TargetSummary summary = target.comparison();
            html.append("<tr><td>").append(Html.escape(target.name() + (target.control() ? " (the control)" : "")))
                    .append("</td><td>").append(summary.compared()).append("</td><td>").append(summary.matches())
                    .append("</td><td>").append(summary.mismatches()).append("</td><td>").append(summary.notComparable())
                    .append("</td><td>").append(summary.errors()).append("</td><td>").append(summary.skipped())
                    .append("</td><td>")
                    .append(target.control() ? "&#8212;" : String.valueOf(summary.noise()))
                    .append(String.format(Locale.ROOT, "</td><td>%.2f / %.2f</td></tr>",
                            ReportData.millis(summary.primaryLatency().p50()),
                            ReportData.millis(summary.shadowLatency().p50())));
        }
        html.append("</table>\n<div class=\"grid\">");
        int index = 0;
        for (TargetView target : compared) {
            if (target.control()) {
                continue;
            }
            ComparisonSummary.TargetSummary summary = target.comparison();
            html.append("<div><h3>Fields ").append(Html.escape(target.name())).append(" answers differently</h3>")
                    .append("<table id=\"fields-").append(index++).append("\" class=\"fields\"><tr><th>field</th>")
                    .append("<th class=\"text\">how</th><th>answers</th><th>of compared</th></tr>");
            for (ComparisonSummary.FieldCount field : summary.topFields()) {
                html.append("<tr><td><code>").append(Html.escape(field.path())).append("</code></td><td class=\"text\">")
                        .append(ReportData.kind(field.kind())).append("</td><td>").append(field.count())
                        .append(String.format(Locale.ROOT, "</td><td>%.1f%%</td></tr>",
                                ReportData.percent(field.count(), summary.compared())));
            }
            if (summary.topFields().isEmpty()) {
                html.append("<tr><td colspan=\"4\" class=\"text\">none, noise set aside</td></tr>");
            }
            html.append("</table></div>\n");
        }
        boolean control = compared.stream().anyMatch(TargetView::control);
        html.append("<div><h3>Noise: fields where the primary and its control differ</h3>")
                .append("<table id=\"noise\"><tr><th>field</th><th>answers</th></tr>");
        for (ComparisonSummary.FieldCount field : data.comparisons().noise()) {
            html.append("<tr><td><code>").append(Html.escape(field.path())).append("</code></td><td>")
                    .append(field.count()).append("</td></tr>");
        }
        if (data.comparisons().noise().isEmpty()) {
            html.append("<tr><td colspan=\"2\" class=\"text\">")
                    .append(control ? "none" : "not measured: no control target").append("</td></tr>");
        }
        html.append("</table><p class=\"note\">The same code answers differently here, so these fields say nothing "
                + "about the candidates: they are not in their lists.</p></div></div>\n");
        recentMismatches(html, data);
        html.append("</div>\n");
    }

    /** What is compared: JSON field by field, or, without a Jackson, as whole bodies (and what to add). */
    static String comparisonNote(JsonComparison json) {
        String how = json.byField()
                ? "Each copy's answer is compared with the answer the primary gave: status, headers, and JSON bodies field"
                        + " by field (read with " + (json == JsonComparison.JACKSON_3 ? "Jackson 3" : "Jackson 2") + ")."
                : "Each copy's answer is compared with the answer the primary gave: status, headers and bodies, JSON bodies"
                        + " as whole bodies: " + JsonComparison.WHOLE_BODIES_WARNING + ".";
        return how + " A control target runs the primary's own version: the fields where it differs from the primary"
                + " are noise, set aside from the other targets' differences.";
    }

    private static void recentMismatches(StringBuilder html, ReportData data) {
        List<Comparison> mismatches = data.comparisons().recentMismatches().stream().limit(SHOWN_MISMATCHES).toList();
        html.append("<h3>Recent mismatches, newest first (look the id up in both services' logs)</h3>\n")
                .append("<table id=\"recent-mismatches\"><tr><th class=\"text\">target</th><th class=\"text\">request</th>")
                .append("<th class=\"text\">X-Mirror-Id</th><th>status</th><th class=\"text\">field</th>")
                .append("<th class=\"text\">how</th>");
        if (data.showValues()) {
            html.append("<th class=\"text\">the primary answered</th><th class=\"text\">the target answered</th>");
        }
        html.append("</tr>");
        int columns = data.showValues() ? 8 : 6;
        if (mismatches.isEmpty()) {
            html.append("<tr><td colspan=\"").append(columns).append("\" class=\"text\">none yet</td></tr>");
        }
        for (Comparison mismatch : mismatches) {
            List<Difference> shown = mismatch.differences().stream().limit(SHOWN_DIFFERENCES).toList();
            int more = mismatch.differenceCount() - shown.size();
            int rows = Math.max(1, shown.size() + (more > 0 ? 1 : 0));
            html.append("<tr>");
            cell(html, rows, Html.escape(mismatch.target()));
            cell(html, rows, Html.escape(mismatch.method() + " " + mismatch.path()));
            cell(html, rows, "<code>" + Html.escape(mismatch.mirrorId()) + "</code>");
            html.append("<td rowspan=\"").append(rows).append("\">").append(mismatch.primaryStatus()).append(" &#8594; ")
                    .append(mismatch.shadowStatus()).append("</td>");
            if (shown.isEmpty()) {
                html.append("<td colspan=\"").append(columns - 4).append("\" class=\"text note\">")
                        .append(Html.escape(mismatch.note() == null ? "no difference kept" : mismatch.note()))
                        .append("</td></tr>");
                continue;
            }
            for (int i = 0; i < shown.size(); i++) {
                Difference difference = shown.get(i);
                if (i > 0) {
                    html.append("<tr>");
                }
                String kind = ReportData.kind(difference.kind());
                html.append("<td class=\"text\"><code>").append(Html.escape(difference.path())).append("</code></td>")
                        .append("<td class=\"text\">").append(kind).append("</td>");
                if (data.showValues()) {
                    html.append("<td class=\"text value ").append(kind).append("\">")
                            .append(Html.escape(difference.primary())).append("</td>")
                            .append("<td class=\"text value ").append(kind).append("\">")
                            .append(Html.escape(difference.shadow())).append("</td>");
                }
                html.append("</tr>");
            }
            if (more > 0) {
                html.append("<tr><td colspan=\"").append(columns - 4).append("\" class=\"text note\">and ").append(more)
                        .append(" more</td></tr>");
            }
        }
        html.append("</table>\n");
        if (!data.showValues()) {
            html.append("<p class=\"note\" id=\"values-hidden\">The values are hidden: they are response data. "
                    + "Show them with <code>mirror.compare.show-values=true</code> "
                    + "(<code>MirrorReport.Builder.showValues(true)</code>) where only those who may read the "
                    + "application's answers see this page.</p>\n");
        }
    }

    private static void cell(StringBuilder html, int rows, String escaped) {
        html.append("<td class=\"text\" rowspan=\"").append(rows).append("\">").append(escaped).append("</td>");
    }

    private static void tables(StringBuilder html, ReportData data) {
        html.append("<h2>trafficmirror metrics</h2>\n<table id=\"mirror-metrics\"><tr><th>meter</th>");
        for (TargetView target : data.targets()) {
            html.append("<th>").append(Html.escape(target.name())).append("</th>");
        }
        html.append("</tr>");
        for (Outcome outcome : Outcome.values()) {
            metricsRow(html, "mirror.requests", "outcome=" + outcome.tag(),
                    data.targets().stream().map(t -> t.count(outcome)).toList());
        }
        SortedSet<String> reasons = new TreeSet<>();
        SortedSet<String> statuses = new TreeSet<>();
        data.targets().forEach(t -> {
            reasons.addAll(t.counts().keySet());
            statuses.addAll(t.statusClasses().keySet());
        });
        for (String reason : reasons) {
            metricsRow(html, "mirror.requests", "reason=" + reason,
                    data.targets().stream().map(t -> t.counts().getOrDefault(reason, 0L)).toList());
        }
        for (String status : statuses) {
            metricsRow(html, "mirror.shadow.duration", "status=" + status,
                    data.targets().stream().map(t -> t.statusClasses().getOrDefault(status, 0L)).toList());
        }
        if (data.timed()) {
            html.append("<tr><td><code>mirror.shadow.duration</code> mean ms</td>");
            data.targets().forEach(t -> html.append("<td>").append(Double.isNaN(t.meanRoundTripMillis()) ? "&#8212;"
                    : String.format(Locale.ROOT, "%.2f", t.meanRoundTripMillis())).append("</td>"));
            html.append("</tr>");
        }
        html.append("<tr><td>percentage now</td>");
        data.targets().forEach(t -> html.append("<td>").append(SvgCharts.fmt(t.percentage())).append("</td>"));
        html.append("</tr><tr><td>url</td>");
        data.targets().forEach(t -> html.append("<td class=\"text\"><code>").append(Html.escape(t.url()))
                .append("</code></td>"));
        html.append("</tr></table>\n");

        html.append("<h2>Recent failures: copies without an answer, newest first</h2>\n<table id=\"recent-failures\">")
                .append("<tr><th class=\"text\">target</th><th class=\"text\">time</th><th class=\"text\">reason</th>")
                .append("<th class=\"text\">request</th><th class=\"text\">X-Mirror-Id</th><th class=\"text\">error</th></tr>");
        boolean none = true;
        for (TargetView target : data.targets()) {
            for (MirrorFailure failure : target.recentFailures()) {
                none = false;
                html.append("<tr><td class=\"text\">").append(Html.escape(target.name())).append("</td><td class=\"text\">")
                        .append(TIME.format(failure.time())).append("</td><td class=\"text\">")
                        .append(Html.escape(failure.reason().tag())).append("</td><td class=\"text\">")
                        .append(Html.escape(failure.method() + " " + failure.path())).append("</td><td class=\"text\"><code>")
                        .append(Html.escape(failure.mirrorId())).append("</code></td><td class=\"text\">")
                        .append(Html.escape(failure.detail())).append("</td></tr>");
            }
        }
        if (none) {
            html.append("<tr><td colspan=\"6\" class=\"text\">none</td></tr>");
        }
        html.append("</table>\n");
    }

    private static void metricsRow(StringBuilder html, String meter, String tag, List<Long> values) {
        html.append("<tr><td><code>").append(meter).append("</code> ").append(Html.escape(tag)).append("</td>");
        values.forEach(value -> html.append("<td>").append(value).append("</td>"));
        html.append("</tr>");
    }

    private static void footer(StringBuilder html, ReportData data) {
        html.append("<p class=\"note\" id=\"footer\">Drawn by trafficmirror's MirrorReport from the live mirror. The page "
                + "is self-contained: no script, nothing loaded from elsewhere. Charts use ")
                .append(Html.escape(duration(data.timeline().bucketSeconds()))).append(" intervals.</p>\n");
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                total += value;
            }
        }
        return total;
    }

    /** A length of time the way people say it: {@code 500ms}, {@code 10s}, {@code 5m}. */
    static String duration(double seconds) {
        Duration duration = Duration.ofMillis(Math.round(seconds * 1000));
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + "ms";
        }
        long whole = duration.toSeconds();
        return whole % 60 == 0 && whole > 0 ? whole / 60 + "m" : whole + "s";
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "\u2026";
    }
}
