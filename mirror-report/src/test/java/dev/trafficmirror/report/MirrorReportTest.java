package dev.trafficmirror.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.JsonComparison;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The report of a live mirror with a candidate that differs and errs, and a control. */
class MirrorReportTest {

    static final int REQUESTS = 30;
    static LiveMirror live;
    static MirrorReport report;
    static ReportPage page;

    @BeforeAll
    static void mirrorAndRender() throws Exception {
        live = new LiveMirror();
        report = MirrorReport.builder(live.mirror).meterRegistry(live.registry).title("reviews")
                .description("what the primary mirrors").primaryName("reviews-v1").interval(Duration.ofMillis(50))
                .build();
        live.send(REQUESTS);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ComparisonSummary.TargetSummary v2 = live.mirror.comparisons().target("v2");
            ComparisonSummary.TargetSummary control = live.mirror.comparisons().target("control");
            return v2 != null && control != null && v2.compared() == REQUESTS && control.compared() == REQUESTS;
        });
        page = new ReportPage(report.render());
    }

    @AfterAll
    static void stop() throws Exception {
        report.close();
        live.close();
    }

    @Test
    void shouldBeAWellFormedPageThatRunsAndLoadsNothing() throws Exception {
        page.assertSelfContained();
        assertThat(page.texts("//*[local-name()='svg']/@id")).containsExactly("traffic-graph", "chart-copies",
                "chart-errors", "chart-latency", "chart-outcomes");
        assertThat(page.text("//*[@id='title']")).isEqualTo("reviews: mirrored traffic");
        assertThat(page.text("//*[@id='description']")).isEqualTo("what the primary mirrors");
    }

    @Test
    void shouldNameWhatTheCandidateDidWorseAndPointToTheTableBelow() throws Exception {
        String verdict = page.text("//*[@id='verdict']");
        assertThat(verdict).startsWith("Look before releasing v2")
                .contains("v2: 3 of 30 answers (10.0%) were 5xx")
                .contains("v2: 30 of 30 answers (100.0%) differ from the primary's, noise set aside; most often")
                .contains("more field(s) listed below")
                .doesNotContain("listed above").doesNotContain("control:");
        // the table the verdict points to comes after it
        assertThat(page.html.indexOf("id=\"fields-0\"")).isGreaterThan(page.html.indexOf("id=\"verdict\""));
    }

    @Test
    void shouldTabulateTheCandidatesFieldsWithTheNoiseSetAside() throws Exception {
        String row = "//*[@id='fields-0']//*[local-name()='tr'][*[1]='%s' and *[2]='%s']/*[3]";
        // the 500s lack it too
        assertThat(page.text(String.format(row, "$.text", "removed"))).isEqualTo("30");
        assertThat(page.text(String.format(row, "$.body", "added"))).isEqualTo("27");
        assertThat(page.text(String.format(row, "status", "changed"))).isEqualTo("3");
        assertThat(page.text("//*[@id='fields-0']")).doesNotContain("servedAt");
        assertThat(page.texts("//*[@id='noise']//*[local-name()='tr'][2]/*")).containsExactly("$.servedAt", "30");
        assertThat(page.texts("//*[@id='comparison-counts']//*[local-name()='tr'][1]/*").subList(0, 8))
                .containsExactly("target", "compared", "match", "mismatch", "not comparable", "error",
                        "not compared (comparing behind)", "differences set aside as noise");
        assertThat(page.texts("//*[@id='comparison-counts']//*[local-name()='tr'][2]/*").subList(0, 8))
                .containsExactly("v2", "30", "0", "30", "0", "0", "0", "30");
    }

    @Test
    void shouldSayHowJsonBodiesAreCompared() throws Exception {
        // Jackson 2 is on this module's test class path, Jackson 3 is not.
        assertThat(page.text("//*[@id='comparison-note']")).startsWith("Each copy's answer is compared with the answer"
                + " the primary gave: status, headers, and JSON bodies field by field (read with Jackson 2).");
        assertThat(HtmlReport.comparisonNote(JsonComparison.JACKSON_3)).contains("field by field (read with Jackson 3)");
        assertThat(HtmlReport.comparisonNote(JsonComparison.WHOLE_BODIES)).contains("JSON bodies as whole bodies:"
                + " neither Jackson 3 (tools.jackson.core) nor Jackson 2", "add tools.jackson.core:jackson-databind");
    }

    @Test
    void shouldCountEveryCopyAsTheMetersDo() throws Exception {
        assertThat(page.text("//*[@id='tile-seen']/*[1]")).isEqualTo("30");
        assertThat(page.text("//*[@id='tile-sent']/*[1]")).isEqualTo("60");
        assertThat(page.text("//*[@id='tile-differ']/*[1]")).isEqualTo("30 of 30");
        assertThat(page.text("//*[@id='chart-outcomes']/*[local-name()='text'][.='v2 answered 5xx']"
                + "/following-sibling::*[local-name()='text'][1]")).isEqualTo("3");
        String metrics = "//*[@id='mirror-metrics']//*[local-name()='tr'][*[1]='%s']/*[%d]";
        assertThat(page.text(String.format(metrics, "mirror.requests outcome=completed", 2))).isEqualTo("30");
        assertThat(page.text(String.format(metrics, "mirror.shadow.duration status=5xx", 2))).isEqualTo("3");
        assertThat(page.text(String.format(metrics, "mirror.shadow.duration status=2xx", 3))).isEqualTo("30");
    }

    @Test
    void shouldDrawTheErrorsOverTimeOnAWholeNumberAxis() throws Exception {
        assertThat(page.number("count(//*[@id='chart-errors']/*[local-name()='rect'])")).isPositive();
        assertThat(page.texts("//*[@id='chart-errors']/*[local-name()='text'][@class='tick' and @text-anchor='end']"))
                .isNotEmpty().allMatch(tick -> tick.matches("\\d+"));
        assertThat(page.number("count(//*[@id='chart-copies']/*[local-name()='polyline'])")).isPositive();
    }

    @Test
    void shouldHideTheValuesUnlessAskedToShowThem() throws Exception {
        assertThat(page.html).doesNotContain(LiveMirror.PRIMARY_VALUE);
        assertThat(page.text("//*[@id='values-hidden']")).contains("mirror.compare.show-values=true");
        assertThat(page.number("count(//*[@id='recent-mismatches']//*[local-name()='tr'])")).isGreaterThan(1);

        try (MirrorReport shown = MirrorReport.builder(live.mirror).showValues(true).build()) {
            ReportPage values = new ReportPage(shown.render());
            values.assertSelfContained();
            assertThat(values.html).contains(LiveMirror.PRIMARY_VALUE);
            assertThat(values.html).doesNotContain("id=\"values-hidden\"");
        }
    }

    @Test
    void shouldKeepOnlyTheLastPoints() throws Exception {
        try (MirrorReport small = MirrorReport.builder(live.mirror).interval(Duration.ofMillis(10)).points(3).build()) {
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> true);
            ReportPage drawn = new ReportPage(small.render());
            // three samples kept and one taken now: three intervals
            assertThat(drawn.text("//*[@id='status']")).contains("Charts: 3 interval(s) of 10ms");
        }
    }

    @Test
    void shouldRefuseSettingsItCannotHonour() {
        MirrorReport.Builder builder = MirrorReport.builder(live.mirror);
        assertThatThrownBy(() -> builder.interval(Duration.ofMillis(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval must be at least 10ms");
        assertThatThrownBy(() -> builder.points(1)).hasMessageContaining("points must be from 2 to 10000, was 1");
    }
}
