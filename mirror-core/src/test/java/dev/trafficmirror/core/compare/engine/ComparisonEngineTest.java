package dev.trafficmirror.core.compare.engine;

import static dev.trafficmirror.core.compare.engine.Answers.gzip;
import static dev.trafficmirror.core.compare.engine.Answers.primaryJson;
import static dev.trafficmirror.core.compare.engine.Answers.shadow;
import static dev.trafficmirror.core.compare.engine.Answers.shadowJson;
import static dev.trafficmirror.core.compare.engine.Answers.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.compare.Difference.Kind;
import dev.trafficmirror.core.compare.JsonComparison;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The comparison suite. Surefire runs it three times (see the POM): with both Jacksons on the class
 * path, with Jackson 3 only and with Jackson 2 only; each run says which are there, the one that
 * must read first ({@code jacksons}), and every other expectation holds whichever it is.
 */
class ComparisonEngineTest {

    private static final MirrorTarget V2 = MirrorTarget.of("v2", "http://reviews-v2").compare(true);
    private static final MirrorTarget CONTROL = MirrorTarget.of("control", "http://reviews-v1-b").control(true);
    private static final MirrorRequest REQUEST = MirrorRequest.builder("GET", "/reviews/7").query("token=secret").build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ComparisonEngine engine = engine(b -> b);

    private ComparisonEngine engine(UnaryOperator<CompareOptions.Builder> options) {
        return new ComparisonEngine(options.apply(CompareOptions.builder()).build(), Answers.counters(registry), List.of(V2, CONTROL));
    }

    private Comparison compare(PrimaryResponse primary, ShadowResponse shadow) {
        return engine.compare(V2, REQUEST, "id-1", primary, shadow, Duration.ofMillis(5), null);
    }

    private double counted(String target, ComparisonResult result) {
        Counter counter = registry.find("mirror.compare").tag("target", target).tag("result", result.tag()).counter();
        return counter == null ? -1 : counter.count();
    }

    /** The Jacksons of this run ({@code jacksons}) are those on the class path, and the first of them reads. */
    @Test
    void shouldReadJsonWithTheJacksonOfThisRun() {
        String property = System.getProperty("jacksons");
        List<String> jacksons = property == null ? jacksonsPresent() : List.of(property.split(","));

        assertThat(jacksonsPresent()).isEqualTo(jacksons);
        assertThat(engine.summary().json()).isEqualTo(JsonComparison.valueOf("JACKSON_" + jacksons.get(0)));
    }

    /** "3" and "2", in that order, for the Jacksons on the class path. */
    private static List<String> jacksonsPresent() {
        List<String> present = new ArrayList<>();
        for (String[] jackson : new String[][] {{"3", "tools.jackson.core.json.JsonFactory"},
                {"2", "com.fasterxml.jackson.core.JsonFactory"}}) {
            try {
                Class.forName(jackson[1]);
                present.add(jackson[0]);
            } catch (ClassNotFoundException e) {
                // not in this run
            }
        }
        return present;
    }

    @Test
    void shouldMatchTheSameJsonWhateverTheKeyOrderSpacingAndServerHeaders() {
        PrimaryResponse primary = PrimaryResponse.builder(200)
                .header("Content-Type", "application/json;charset=UTF-8").header("Date", "Mon, 01 Jan 2026 10:00:00 GMT")
                .header("X-Version", "7")
                .body(utf8("{\"id\":7,\"items\":[{\"sku\":\"a\",\"price\":1.5}],\"owner\":null}")).build();
        ShadowResponse shadow = shadow(200, utf8("{ \"owner\": null, \"items\": [ {\"price\": 1.50, \"sku\": \"a\"} ], \"id\": 7 }"),
                "Content-Type", "application/json; charset=\"utf-8\"", "Date", "Tue, 02 Jan 2026 11:00:00 GMT",
                "Server", "Jetty(12)", "Content-Length", "61", "X-Version", "7");

        Comparison comparison = compare(primary, shadow);

        assertThat(comparison.result()).isEqualTo(ComparisonResult.MATCH);
        assertThat(comparison.differences()).isEmpty();
        assertThat(counted("v2", ComparisonResult.MATCH)).isEqualTo(1);
        assertThat(counted("v2", ComparisonResult.MISMATCH)).isZero();
        assertThat(counted("control", ComparisonResult.MATCH)).as("registered at zero").isZero();
    }

    @Test
    void shouldNameThePathOfTheOneFieldThatChanged() {
        Comparison comparison = compare(
                primaryJson("{\"items\":[{\"price\":1},{\"price\":2},{\"price\":3},{\"price\":4.50}]}"),
                shadowJson("{\"items\":[{\"price\":1},{\"price\":2},{\"price\":3},{\"price\":4.75}]}"));

        assertThat(comparison.result()).isEqualTo(ComparisonResult.MISMATCH);
        assertThat(comparison.differences()).containsExactly(new Difference("$.items[3].price", Kind.CHANGED, "4.50", "4.75"));
        assertThat(comparison.toString()).contains("GET /reviews/7 [id-1] v2: mismatch: $.items[3].price changed: 4.50 -> 4.75")
                .doesNotContain("secret");
    }

    @Test
    void shouldDescribeAMismatchForTheLogWithoutTheValues() {
        Comparison comparison = compare(primaryJson("{\"token\":\"tok-primary\",\"name\":\"Ann\"}"),
                shadowJson("{\"token\":\"tok-shadow\",\"email\":\"ann@example.com\"}"));

        assertThat(comparison.withoutValues())
                .isEqualTo("GET /reviews/7 [id-1] v2: mismatch: $.token changed; $.name removed; $.email added")
                .doesNotContain("tok-", "Ann", "example.com");
    }

    @Test
    void shouldReportARenamedFieldAsRemovedAndAddedAndAnAddedField() {
        Comparison comparison = compare(primaryJson("{\"id\":1,\"rating\":5}"),
                shadowJson("{\"id\":1,\"stars\":5,\"verified\":true}"));

        assertThat(comparison.differences()).containsExactly(
                new Difference("$.rating", Kind.REMOVED, "5", null),
                new Difference("$.stars", Kind.ADDED, null, "5"),
                new Difference("$.verified", Kind.ADDED, null, "true"));
    }

    @Test
    void shouldMatchWhenOnlyIgnoredPathsDiffer() {
        engine = engine(b -> b.ignorePaths("$.generatedAt", "$.items[*].id", "$..traceId", "$['odd.key']"));

        Comparison comparison = compare(
                primaryJson("{\"generatedAt\":1,\"items\":[{\"id\":\"a\",\"n\":1}],\"meta\":{\"traceId\":\"x\"},\"odd.key\":1}"),
                shadowJson("{\"generatedAt\":2,\"items\":[{\"id\":\"b\",\"n\":1}],\"meta\":{\"traceId\":\"y\"},\"odd.key\":2}"));

        assertThat(comparison.result()).isEqualTo(ComparisonResult.MATCH);
    }

    @Test
    void shouldStillReportAFieldNextToAnIgnoredOne() {
        engine = engine(b -> b.ignorePaths("$.items[*].id"));

        Comparison comparison = compare(primaryJson("{\"items\":[{\"id\":\"a\",\"n\":1}],\"odd.key\":1}"),
                shadowJson("{\"items\":[{\"id\":\"b\",\"n\":2}],\"odd.key\":2}"));

        assertThat(comparison.differences()).extracting(Difference::path).containsExactly("$.items[0].n", "$['odd.key']");
    }

    @Test
    void shouldCompareNumbersByValueButNotAcrossTypes() {
        assertThat(compare(primaryJson("{\"a\":1,\"b\":2.50}"), shadowJson("{\"a\":1.0,\"b\":2.5}")).result())
                .isEqualTo(ComparisonResult.MATCH);
        assertThat(compare(primaryJson("{\"a\":1}"), shadowJson("{\"a\":\"1\"}")).differences())
                .containsExactly(new Difference("$.a", Kind.CHANGED, "1", "\"1\""));
    }

    @Test
    void shouldShowNumbersAsWrittenAndCompareThemByValue() {
        assertThat(compare(primaryJson("{\"n\":1e3,\"m\":-0,\"big\":123456789012345678901234567890}"),
                shadowJson("{\"n\":1000.0,\"m\":0,\"big\":123456789012345678901234567890.00}")).result())
                .isEqualTo(ComparisonResult.MATCH);
        assertThat(compare(primaryJson("{\"n\":1E+3}"), shadowJson("{\"n\":1.001e3}")).differences())
                .containsExactly(new Difference("$.n", Kind.CHANGED, "1E+3", "1.001e3"));
    }

    @Test
    void shouldShowStringsObjectsAndArraysAsCompactJson() {
        Comparison comparison = compare(primaryJson("{\"s\":\"a \\\"quoted\\\" \\\\ line\\nnext\\u0001 caf\u00e9\", \"o\": {\"k\": [1, true, null]}}"),
                shadowJson("{\"s\":\"\"}"));

        assertThat(comparison.differences()).containsExactly(
                new Difference("$.s", Kind.CHANGED, "\"a \\\"quoted\\\" \\\\ line\\nnext\\u0001 caf\u00e9\"", "\"\""),
                new Difference("$.o", Kind.REMOVED, "{\"k\":[1,true,null]}", null));
    }

    @Test
    void shouldTakeTheLastOfTwoEqualKeysAsJacksonsTreesDo() {
        assertThat(compare(primaryJson("{\"a\":1,\"a\":2}"), shadowJson("{\"a\":2}")).result())
                .isEqualTo(ComparisonResult.MATCH);
    }

    @Test
    void shouldCompareAsBytesWhatIsNotOneJsonDocument() {
        for (String notOne : List.of("{\"a\":1} {\"a\":1}", "{\"a\":1", "", "{'a':1}", "[1,]", "NaN")) {
            Comparison comparison = compare(primaryJson(notOne), shadowJson(notOne + " "));

            assertThat(comparison.differences()).as(notOne).extracting(Difference::path).containsExactly("body");
        }
    }

    @Test
    void shouldCompareDocumentsNestedUpTo500LevelsFieldByFieldWithEitherJackson() {
        String deepest = "[".repeat(500) + "1" + "]".repeat(500);

        assertThat(compare(primaryJson(deepest), shadowJson(deepest.replace('1', '2'))).differences()).singleElement()
                .satisfies(difference -> assertThat(difference.path()).isEqualTo("$" + "[0]".repeat(500)));
        String deeper = "[" + deepest + "]";
        assertThat(compare(primaryJson(deeper), shadowJson(deeper.replace('1', '2'))).differences())
                .extracting(Difference::path).containsExactly("body");
    }

    @Test
    void shouldCompareArraysInOrderUnlessToldOtherwise() {
        String primary = "{\"tags\":[\"a\",\"b\",\"c\"],\"items\":[{\"id\":1,\"v\":\"x\"},{\"id\":2,\"v\":\"y\"}]}";
        String shadow = "{\"tags\":[\"c\",\"b\",\"a\"],\"items\":[{\"id\":2,\"v\":\"y\"},{\"id\":1,\"v\":\"z\"}]}";

        assertThat(compare(primaryJson(primary), shadowJson(shadow)).differences()).extracting(Difference::path)
                .containsExactly("$.tags[0]", "$.tags[2]", "$.items[0].id", "$.items[0].v", "$.items[1].id", "$.items[1].v");
        engine = engine(b -> b.unorderedArrays("$.tags", "$.items"));
        assertThat(compare(primaryJson(primary), shadowJson(shadow)).differences())
                .as("the unmatched elements are paired and diffed field by field")
                .containsExactly(new Difference("$.items[0].v", Kind.CHANGED, "\"x\"", "\"z\""));
    }

    @Test
    void shouldReportElementsOnlyOneSideHas() {
        assertThat(compare(primaryJson("[1,2]"), shadowJson("[1,2,3]")).differences())
                .containsExactly(new Difference("$[2]", Kind.ADDED, null, "3"));
        assertThat(compare(primaryJson("{\"a\":[1,2]}"), shadowJson("{\"a\":[1]}")).differences())
                .containsExactly(new Difference("$.a[1]", Kind.REMOVED, "2", null));
    }

    @Test
    void shouldCompareStatusAndHeadersLeavingOutIgnoredOnes() {
        PrimaryResponse primary = PrimaryResponse.builder(200).header("Content-Type", "text/plain")
                .header("X-Version", "1").header("Cache-Control", "no-cache").header("Set-Cookie", "s=1").body(utf8("ok")).build();
        ShadowResponse shadow = shadow(500, utf8("ok"), "Content-Type", "text/plain", "X-Version", "2",
                "Set-Cookie", "s=2", "ETag", "\"v2\"");

        assertThat(compare(primary, shadow).differences()).containsExactly(
                new Difference("status", Kind.CHANGED, "200", "500"),
                new Difference("header:x-version", Kind.CHANGED, "1", "2"),
                new Difference("header:cache-control", Kind.REMOVED, "no-cache", null),
                new Difference("header:etag", Kind.ADDED, null, "\"v2\""));
        engine = engine(b -> b.ignoreHeaders("X-Version", "cache-control", "ETAG"));
        assertThat(compare(primary, shadow).differences()).extracting(Difference::path).containsExactly("status");
        engine = engine(b -> b.ignoredHeaders(List.of()));
        assertThat(compare(primary, shadow).differences()).extracting(Difference::path).contains("header:set-cookie");
    }

    @Test
    void shouldCompareOtherBodiesByTheirBytes() {
        PrimaryResponse text = PrimaryResponse.builder(200).header("Content-Type", "text/plain; charset=utf-8")
                .body(utf8("hello, world\n")).build();
        assertThat(compare(text, shadow(200, utf8("hello, world\n"), "Content-Type", "text/plain;charset=UTF-8")).result())
                .isEqualTo(ComparisonResult.MATCH);

        Comparison changed = compare(text, shadow(200, utf8("hello, there\n"), "Content-Type", "text/plain;charset=UTF-8"));
        assertThat(changed.differences()).containsExactly(new Difference("body", Kind.CHANGED,
                "13 bytes, from byte 0: \"hello, world\\n\"", "13 bytes, from byte 0: \"hello, there\\n\""));

        PrimaryResponse binary = PrimaryResponse.builder(200).header("Content-Type", "application/octet-stream")
                .body(new byte[] {0, 1, 2, 3}).build();
        assertThat(compare(binary, shadow(200, new byte[] {0, 1, 2, 4}, "Content-Type", "application/octet-stream"))
                .differences()).containsExactly(new Difference("body", Kind.CHANGED,
                        "4 bytes, from byte 0: 00010203", "4 bytes, from byte 0: 00010204"));
    }

    @Test
    void shouldReportABodyThatIsNoLongerJson() {
        Comparison comparison = compare(primaryJson("{\"a\":1}"), shadowJson("<html>oops</html>"));

        assertThat(comparison.result()).isEqualTo(ComparisonResult.MISMATCH);
        assertThat(comparison.differences()).extracting(Difference::path).containsExactly("body");
    }

    @Test
    void shouldCompareGzipBodiesDecoded() {
        byte[] json = utf8("{\"id\":1,\"name\":\"a\"}");
        PrimaryResponse gzipped = PrimaryResponse.builder(200).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").body(gzip(json, Answers.fastest())).build();

        assertThat(compare(gzipped, shadowJson("{\"name\":\"a\",\"id\":1}")).result()).isEqualTo(ComparisonResult.MATCH);
        assertThat(compare(gzipped, shadow(200, gzip(json, Answers.smallest()), "Content-Type", "application/json",
                "Content-Encoding", "gzip")).result()).isEqualTo(ComparisonResult.MATCH);
        assertThat(compare(gzipped, shadow(200, gzip(utf8("{\"id\":2,\"name\":\"a\"}"), 6), "Content-Type", "application/json",
                "Content-Encoding", "gzip")).differences()).containsExactly(new Difference("$.id", Kind.CHANGED, "1", "2"));

        Comparison broken = compare(gzipped, shadow(200, utf8("not gzip at all"), "Content-Type", "application/json",
                "Content-Encoding", "gzip"));
        assertThat(broken.result()).isEqualTo(ComparisonResult.MISMATCH);
        assertThat(broken.differences()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("body");
            assertThat(d.shadow()).startsWith("invalid gzip");
        });
    }

    @Test
    void shouldNotCompareAnEncodingItCannotDecode() {
        PrimaryResponse brotli = PrimaryResponse.builder(200).header("Content-Encoding", "br").body(new byte[] {1, 2, 3}).build();

        Comparison comparison = compare(brotli, shadow(200, new byte[] {1, 2, 4}, "Content-Encoding", "br"));

        assertThat(comparison.result()).isEqualTo(ComparisonResult.NOT_COMPARABLE);
        assertThat(comparison.note()).contains("content-encoding br is not decoded");
    }

    @Test
    void shouldReportBodiesOverTheCapAsNotComparableNeverAsMismatches() {
        ShadowResponse truncated = ShadowResponse.of(200, Answers.pairs("Content-Type", "application/json"),
                utf8("{\"a\":\"completely different"), true);
        Comparison overShadowCap = compare(primaryJson("{\"a\":1}"), truncated);
        assertThat(overShadowCap.result()).isEqualTo(ComparisonResult.NOT_COMPARABLE);
        assertThat(overShadowCap.differences()).isEmpty();
        assertThat(overShadowCap.note()).contains("larger than the capture limit");

        PrimaryResponse overPrimaryCap = PrimaryResponse.builder(200).header("Content-Type", "application/json")
                .body(utf8("{\"a\":1}")).bodyIncomplete("the primary's body is larger than the capture limit (10 bytes)").build();
        assertThat(overPrimaryCap.bodyLength()).isZero();
        assertThat(compare(overPrimaryCap, shadowJson("{\"b\":2}")).result()).isEqualTo(ComparisonResult.NOT_COMPARABLE);

        assertThat(counted("v2", ComparisonResult.NOT_COMPARABLE)).isEqualTo(2);
        assertThat(counted("v2", ComparisonResult.MISMATCH)).isZero();
        assertThat(engine.summary().recentMismatches()).isEmpty();
    }

    @Test
    void shouldStillReportAStatusDifferenceWhenTheBodiesAreOverTheCap() {
        ShadowResponse truncated = ShadowResponse.of(503, Answers.pairs("Content-Type", "application/json"), utf8("{"), true);

        Comparison comparison = compare(primaryJson("{\"a\":1}"), truncated);

        assertThat(comparison.result()).isEqualTo(ComparisonResult.MISMATCH);
        assertThat(comparison.differences()).extracting(Difference::path).containsExactly("status");
        assertThat(comparison.note()).startsWith("bodies not compared: ");
    }

    @Test
    void shouldCompareOnlyStatusAndLocationWhenTheContainerWroteThePrimarysAnswer() {
        PrimaryResponse sendError = PrimaryResponse.builder(404).containerAnswer("sendError").build();
        ShadowResponse errorPage = shadow(404, utf8("<html>Not Found, Jetty</html>"), "Content-Type", "text/html");

        assertThat(compare(sendError, errorPage).result()).isEqualTo(ComparisonResult.MATCH);
        assertThat(compare(sendError, shadow(500, new byte[0])).differences()).extracting(Difference::path).containsExactly("status");
        PrimaryResponse redirect = PrimaryResponse.builder(302).header("Location", "/login").containerAnswer("sendRedirect").build();
        assertThat(compare(redirect, shadow(302, new byte[0], "Location", "/signin")).differences())
                .containsExactly(new Difference("header:location", Kind.CHANGED, "/login", "/signin"));
    }

    @Test
    void shouldNotCompareBodiesThatNeverReachTheWire() {
        PrimaryResponse written = PrimaryResponse.builder(200).header("Content-Type", "text/plain").body(utf8("dropped")).build();
        ShadowResponse empty = shadow(200, new byte[0], "Content-Type", "text/plain");

        assertThat(engine.compare(V2, MirrorRequest.builder("HEAD", "/").build(), "id", written, empty, Duration.ZERO, null)
                .result()).isEqualTo(ComparisonResult.MATCH);
        assertThat(compare(written, empty).result()).as("the same answers to a GET").isEqualTo(ComparisonResult.MISMATCH);
        PrimaryResponse notModified = PrimaryResponse.builder(304).body(utf8("dropped")).build();
        assertThat(compare(notModified, shadow(304, new byte[0])).result()).isEqualTo(ComparisonResult.MATCH);
    }

    @Test
    void shouldNotCompareWithoutThePrimarysAnswer() {
        Comparison comparison = compare(null, shadowJson("{}"));

        assertThat(comparison.result()).isEqualTo(ComparisonResult.NOT_COMPARABLE);
        assertThat(comparison.note()).isEqualTo("the primary's answer was not captured");
        Comparison threw = compare(PrimaryResponse.builder(200).unknown("the application threw").build(),
                shadow(500, utf8("boom")));
        assertThat(threw.result()).isEqualTo(ComparisonResult.NOT_COMPARABLE);
        assertThat(threw.differences()).as("not even the status is compared").isEmpty();
        assertThat(threw.note()).isEqualTo("the application threw");
    }

    @Test
    void shouldSetAsideWhatDiffersBetweenThePrimaryAndTheControl() {
        PrimaryResponse primary = primaryJson("{\"id\":7,\"rating\":5,\"generatedAt\":\"10:00:00.001\",\"requestId\":\"r-111\"}");
        Comparison control = engine.compare(CONTROL, REQUEST, "id-1", primary,
                shadowJson("{\"id\":7,\"rating\":5,\"generatedAt\":\"10:00:00.004\",\"requestId\":\"r-222\"}"), Duration.ofMillis(2), null);

        Comparison candidate = engine.compare(V2, REQUEST, "id-1", primary,
                shadowJson("{\"id\":7,\"stars\":5,\"generatedAt\":\"10:00:00.009\",\"requestId\":\"r-333\"}"), Duration.ofMillis(4), control);

        assertThat(control.control()).isTrue();
        assertThat(control.result()).as("the control's own differences are the noise").isEqualTo(ComparisonResult.MISMATCH);
        assertThat(candidate.differences()).extracting(Difference::path).containsExactly("$.rating", "$.stars");
        assertThat(candidate.noise()).isEqualTo(2);
        ComparisonSummary summary = engine.summary();
        assertThat(summary.noise()).extracting(ComparisonSummary.FieldCount::path).containsExactlyInAnyOrder("$.generatedAt", "$.requestId");
        assertThat(summary.recentMismatches()).as("control mismatches are not kept").containsExactly(candidate);
        assertThat(summary.target("v2").noise()).isEqualTo(2);
    }

    @Test
    void shouldSetAsideOnLaterRequestsOnlyTheFieldsTheControlDiffersOnAsOften() {
        PrimaryResponse primary = primaryJson("{\"items\":[{\"n\":1,\"at\":1}],\"meta\":{\"trace\":\"a\"}}");
        for (int i = 0; i < 10; i++) {
            engine.compare(CONTROL, REQUEST, "id-" + i, primary,
                    shadowJson("{\"items\":[{\"n\":1,\"at\":2}],\"meta\":[]}"), Duration.ZERO, null);
        }

        Comparison later = engine.compare(V2, REQUEST, "id-2",
                primaryJson("{\"items\":[{\"n\":1,\"at\":1},{\"n\":2,\"at\":1}],\"meta\":{\"trace\":\"a\"},\"x\":1}"),
                shadowJson("{\"items\":[{\"n\":1,\"at\":5},{\"n\":3,\"at\":6}],\"meta\":{\"trace\":\"b\"},\"x\":2}"),
                Duration.ZERO, null);

        assertThat(later.differences()).as("$.items[*].at is noise; $.meta being noise hides nothing below it")
                .extracting(Difference::path).containsExactly("$.items[1].n", "$.meta.trace", "$.x");
        assertThat(later.noise()).isEqualTo(2);
    }

    @Test
    void shouldReportTimestampsWhenThereIsNoControl() {
        Comparison comparison = compare(primaryJson("{\"generatedAt\":\"10:00:00.001\"}"), shadowJson("{\"generatedAt\":\"10:00:00.009\"}"));

        assertThat(comparison.result()).isEqualTo(ComparisonResult.MISMATCH);
        assertThat(comparison.noise()).isZero();
    }

    @Test
    void shouldSummarizeResultsTopFieldsAndLatencyPerTarget() {
        for (int i = 1; i <= 100; i++) {
            PrimaryResponse primary = PrimaryResponse.builder(200).header("Content-Type", "application/json")
                    .body(utf8("{\"items\":[{\"p\":1},{\"p\":1}],\"rating\":5}")).latency(Duration.ofMillis(i)).build();
            String shadow = i % 4 == 0 ? "{\"items\":[{\"p\":1},{\"p\":1}],\"rating\":5}" : "{\"items\":[{\"p\":2},{\"p\":2}],\"stars\":5}";
            engine.compare(V2, REQUEST, "id-" + i, primary, shadowJson(shadow), Duration.ofMillis(2L * i), null);
        }

        ComparisonSummary.TargetSummary v2 = engine.summary().target("v2");

        assertThat(v2.compared()).isEqualTo(100);
        assertThat(v2.matches()).isEqualTo(25);
        assertThat(v2.mismatches()).isEqualTo(75);
        assertThat(v2.topFields()).as("counted once per comparison, indices folded")
                .containsExactly(new ComparisonSummary.FieldCount("$.items[*].p", Kind.CHANGED, 75),
                        new ComparisonSummary.FieldCount("$.rating", Kind.REMOVED, 75),
                        new ComparisonSummary.FieldCount("$.stars", Kind.ADDED, 75));
        assertThat(v2.primaryLatency()).isEqualTo(new ComparisonSummary.Latency(100, Duration.ofMillis(50),
                Duration.ofMillis(90), Duration.ofMillis(99), Duration.ofMillis(100)));
        assertThat(v2.shadowLatency().p50()).isEqualTo(Duration.ofMillis(100));
        assertThat(engine.summary().toString()).contains("target v2: 100 compared: 25 match, 75 mismatch, 0 not comparable, 0 error",
                "$.items[*].p", "primary latency: p50 50.0 ms  p90 90.0 ms  p99 99.0 ms  max 100.0 ms (last 100)");
    }

    @Test
    void shouldKeepOnlyTheMostRecentMismatchesAndBoundedLatencyWindows() {
        engine = engine(b -> b.recentMismatches(3).latencySamples(10));
        for (int i = 1; i <= 20; i++) {
            engine.compare(V2, REQUEST, "id-" + i, primaryJson("{\"a\":1}"), shadowJson("{\"a\":" + (i + 1) + "}"), Duration.ZERO, null);
        }

        ComparisonSummary summary = engine.summary();

        assertThat(summary.recentMismatches()).extracting(Comparison::mirrorId).containsExactly("id-20", "id-19", "id-18");
        assertThat(summary.target("v2").primaryLatency().samples()).isEqualTo(10);
    }

    @Test
    void shouldBoundTheDifferencesOfOneComparisonButCountThemAll() {
        StringBuilder primary = new StringBuilder("[");
        StringBuilder shadow = new StringBuilder("[");
        for (int i = 0; i < 3000; i++) {
            primary.append(i == 0 ? "" : ",").append(i);
            shadow.append(i == 0 ? "" : ",").append(-i - 1);
        }

        Comparison comparison = compare(primaryJson(primary.append(']').toString()), shadowJson(shadow.append(']').toString()));

        assertThat(comparison.differenceCount()).isEqualTo(3000);
        assertThat(comparison.differences()).hasSize(Comparison.MAX_DIFFERENCES);
        assertThat(comparison.toString()).contains("and 2995 more");
    }

    @Test
    void shouldTellEveryListenerAndCountTheOnesThatThrow() {
        List<Comparison> heard = new ArrayList<>();
        engine = engine(b -> b.listener(c -> {
            throw new IllegalStateException("listener bug");
        }).listener(heard::add));

        Comparison control = engine.compare(CONTROL, REQUEST, "id-1", primaryJson("{}"), shadowJson("{}"), Duration.ZERO, null);
        Comparison candidate = compare(primaryJson("{}"), shadowJson("{\"a\":1}"));

        assertThat(heard).containsExactly(control, candidate);
        assertThat(registry.get("mirror.compare.listener.failures").tag("target", "v2").counter().count()).isEqualTo(1);
        assertThat(registry.get("mirror.compare.listener.failures").tag("target", "control").counter().count()).isEqualTo(1);
        assertThat(counted("v2", ComparisonResult.MISMATCH)).isEqualTo(1);
    }

    @Test
    void shouldRefuseBadOptionsNamingTheSetting() {
        assertThatThrownBy(() -> CompareOptions.builder().ignorePaths("items.id").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ignorePaths: 'items.id' must start with $");
        assertThatThrownBy(() -> CompareOptions.builder().unorderedArrays("$.a[x]").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unorderedArrays").hasMessageContaining("[x]");
        assertThatThrownBy(() -> CompareOptions.builder().ignorePaths("$.a..").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends with '..'");
        assertThatThrownBy(() -> CompareOptions.builder().recentMismatches(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("recentMismatches must be at least 0, was -1");
        assertThatThrownBy(() -> CompareOptions.builder().ignoreHeaders(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ignoreHeaders");
        assertThatThrownBy(() -> CompareOptions.builder().logInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logInterval");
    }
}
