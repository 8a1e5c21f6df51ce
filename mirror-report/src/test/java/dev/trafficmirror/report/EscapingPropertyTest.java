package dev.trafficmirror.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.MirrorFailure;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.compare.JsonComparison;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the mirror's values hold (markup, quotes, control characters, unpaired surrogates),
 * the page stays well-formed, runs nothing, and shows each value as text.
 */
class EscapingPropertyTest {

    @Property(tries = 300)
    void everyValueIsShownAsTextAndNeverAsMarkup(@ForAll("hostile") String title, @ForAll("hostile") String target,
            @ForAll("hostile") String path, @ForAll("hostile") String id, @ForAll("hostile") String value,
            @ForAll("hostile") String detail) throws Exception {
        ReportPage page = new ReportPage(HtmlReport.render(data(title, target, path, id, value, detail)));

        page.assertSelfContained();
        assertThat(page.text("//*[@id='title']")).isEqualTo(normalized(title + ": mirrored traffic"));
        assertThat(page.text("//*[@id='mirror-metrics']//*[local-name()='tr'][1]/*[2]")).isEqualTo(normalized(target));
        assertThat(page.document.getDocumentElement().getTextContent())
                .contains(sanitized(path)).contains(sanitized(id)).contains(sanitized(value)).contains(sanitized(detail));
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("<script>alert(1)</script>", "\"><svg onload=alert(1)>", "' onmouseover='x", "&amp;&#0;",
                        "]]><!--", "\u0000\u0001\u001b\ufffe\ud800", "</textarea></style></title>", "\ud83d\ude00 ok"));
    }

    private static ReportData data(String title, String target, String path, String id, String value, String detail) {
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, 1L);
        }
        ComparisonSummary.TargetSummary summary = new ComparisonSummary.TargetSummary(target, false, 1, 0, 1, 0, 0, 0, 0,
                List.of(new ComparisonSummary.FieldCount(path, Difference.Kind.CHANGED, 1)),
                ComparisonSummary.Latency.NONE, ComparisonSummary.Latency.NONE);
        Comparison mismatch = new Comparison(target, false, "GET", path, id, ComparisonResult.MISMATCH,
                List.of(new Difference(path, Difference.Kind.CHANGED, value, value)), 1, 0, 200, 500, Duration.ZERO,
                Duration.ZERO, null, Instant.EPOCH);
        ComparisonSummary comparisons = new ComparisonSummary(List.of(summary), List.of(mismatch),
                List.of(new ComparisonSummary.FieldCount(path, null, 1)), JsonComparison.WHOLE_BODIES);
        TreeMap<String, Long> counts = new TreeMap<>(Map.of("none", 1L, "timeout", 1L));
        ReportData.TargetView view = new ReportData.TargetView(target, "http://" + target, 100, true, false, counts,
                outcomes, new TreeMap<>(Map.of("5xx", 1L)), 1.5, summary,
                List.of(new MirrorFailure(Instant.EPOCH, Reason.TIMEOUT, id, "POST", path, detail)), "#dd6b20");
        ReportData.Series series = new ReportData.Series(new double[] {1, 2}, new double[] {0, 1}, new double[] {1, 2});
        return new ReportData(title, title, target, Instant.EPOCH, true, true, true, List.of(view), comparisons,
                new ReportData.Timeline(Instant.EPOCH, 1, List.of(series)));
    }

    /** What a parser reads back: characters XML cannot carry replaced. */
    private static String sanitized(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F) || (c > 0x9F && c < 0xD800)
                    || (c > 0xDFFF && c < 0xFFFE) || c > 0xFFFF;
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }

    private static String normalized(String text) {
        // as XPath's normalize-space: XML's four white-space characters only
        return sanitized(text).replaceAll("[ \t\r\n]+", " ").replaceAll("^ | $", "");
    }
}
