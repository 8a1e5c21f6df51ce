package dev.trafficmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Runs the whole demo, briefly and at a higher rate, and checks what it prints and draws. */
class ReviewsDemoTest {

    private static final Pattern V1_LINE = Pattern.compile(
            "^\\s*[\\d.]+s \\| GET /reviews/(\\d+)\\s+(\\d{3})\\s+[\\d.]+ ms\\s+id=(req-\\d+)\\s*\\|\\s*$", Pattern.MULTILINE);
    private static final Pattern V2_LINE = Pattern.compile(
            "^\\s*[\\d.]+s \\|\\s+\\| GET /reviews/(\\d+)\\s+(\\d{3})\\s+[\\d.]+ ms\\s+id=(req-\\d+)", Pattern.MULTILINE);

    @TempDir
    static Path dir;

    static DemoOptions options;
    static DemoResult result;
    static String output;
    static List<Thread> threadsLeft;

    @BeforeAll
    static void runDemo() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        options = DemoOptions.parse("--duration", "2s", "--qps", "100", "--report", dir.resolve("report.html").toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        result = ReviewsDemo.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
        output = printed.toString(StandardCharsets.UTF_8);
        threadsLeft = new ArrayList<>(nonDaemonThreads());
        threadsLeft.removeAll(before);
    }

    @Test
    void shouldServeEveryUserRequestFromV1WithA200() {
        long requests = options.requests();
        assertThat(result.users().sent()).isEqualTo(requests);
        assertThat(V1_LINE.matcher(output).results().map(m -> m.group(2))).hasSize((int) requests).containsOnly("200");
        assertThat(summary()).contains(String.format("served %d requests to users: 200 x%d (all OK)", requests, requests));
    }

    @Test
    void shouldMirrorEveryRequestToV2AndToTheControl() {
        long requests = options.requests();
        assertThat(summary()).contains(String.format(
                "mirrored %d of %d requests to reviews-v2: completed %d, failed 0, dropped 0, skipped 0",
                requests, requests, requests)).contains(String.format(
                "mirrored %d of %d requests to reviews-v1-control: completed %d, failed 0, dropped 0, skipped 0",
                requests, requests, requests)).contains(String.format(
                "reviews-v1-control (v1's code again) answered %d copies: 200 x%d", requests, requests));
        assertThat(result.v2().requests()).isEqualTo(requests);
        assertThat(result.control().requests()).isEqualTo(requests);
    }

    @Test
    void shouldTieEachCopyToItsRequestByTheMirrorId() {
        Set<String> v1Ids = ids(V1_LINE);
        Set<String> v2Ids = ids(V2_LINE);
        assertThat(v1Ids).hasSize((int) options.requests());
        assertThat(v2Ids).isEqualTo(v1Ids);
    }

    @Test
    void shouldCountTheV2ErrorsOfProductsThatAreMultiplesOfSeven() {
        long expected = V1_LINE.matcher(output).results().filter(m -> Integer.parseInt(m.group(1)) % 7 == 0).count();
        assertThat(expected).as("the load asked for products 7 and 14").isPositive();
        long requests = options.requests();
        assertThat(summary())
                .contains(String.format("answered %d copies: 200 x%d, 500 x%d", requests, requests - expected, expected))
                .contains(String.format("500 x%d  %s", expected, ReviewsService.RATINGS_ERROR))
                .contains("mirror.shadow.duration by status: 2xx " + (requests - expected) + ", 5xx " + expected)
                .contains("do not release reviews-v2 yet");
        assertThat(V2_LINE.matcher(output).results().filter(m -> m.group(2).equals("500")).count()).isEqualTo(expected);
    }

    @Test
    void shouldCompareLatencyOfV1AndV2() {
        assertThat(summary()).containsPattern("reviews-v1 server time\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+")
                .containsPattern("reviews-v2 server time\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+")
                .containsPattern("users -> v1 round trip\\s+[\\d.]+");
        // v2 looks up ratings for at least 2 ms per request; v1 does not.
        assertThat(result.v2().latency().p50()).isGreaterThanOrEqualTo(2.0);
        assertThat(result.v2().latency().count()).isEqualTo(options.requests());
        assertThat(result.v1().latency().p50()).isLessThan(result.v2().latency().p50());
    }

    @Test
    void shouldNameTheFieldsV2RenamedAndAddedAndThoseOfItsErrors() {
        long errors = result.v2().count(500);
        long renamed = options.requests() - errors;
        assertThat(errors).as("the load asked for products 7 and 14").isPositive();
        assertThat(v2Fields())
                .containsPattern(field("$.reviews[*].text", "removed", renamed))
                .containsPattern(field("$.reviews[*].body", "added", renamed))
                .containsPattern(field("$.reviews[*].rating", "added", renamed))
                .containsPattern(field("status", "changed", errors))
                .containsPattern(field("$.reviews", "removed", errors))
                .containsPattern(field("$.error", "added", errors));
        assertThat(summary()).as("the verdict names them").containsPattern(
                "- \\d+ of \\d+ answers \\([\\d.]+%\\) differ from v1's, noise set aside;\\s+most often "
                        + "[^-]*\\$\\.reviews\\[\\*]\\.text removed x" + renamed);
    }

    @Test
    void shouldListTheTimestampAsNoiseRevealedByTheControlNotAsAV2Difference() {
        long requests = options.requests();
        assertThat(v2Fields()).doesNotContain("servedAt");
        assertThat(differences())
                .contains("reviews-v1-control, the same code as v1, differs from it in: $.servedAt (" + requests
                        + " answers)")
                // every answer of v2 has its servedAt changed (200) or removed (500): one each, all set aside
                .contains("so that is noise: " + requests + " difference(s) set aside from reviews-v2's, not listed above");
        assertThat(examples()).isNotEmpty().noneMatch(example -> example.contains("servedAt"));
    }

    @Test
    void shouldAccountForEveryCopyInTheComparisonCounts() {
        long requests = options.requests();
        long[] v2 = comparisonCounts("differences   reviews-v2 vs reviews-v1: ");
        long[] control = comparisonCounts("control vs v1: ");
        for (long[] counts : List.of(v2, control)) {
            assertThat(counts[0]).as("compared").isEqualTo(requests);
            assertThat(counts[1] + counts[2] + counts[3] + counts[4]).as("match + mismatch + not comparable + error")
                    .isEqualTo(counts[0]);
            assertThat(counts[2]).as("every v2 answer is renamed or an error; every v1 answer has its own servedAt")
                    .isEqualTo(requests);
        }
        long renamed = fieldCount("$.reviews[*].text", "removed");
        long failed = fieldCount("status", "changed");
        assertThat(renamed + failed).as("each mismatch is a renamed answer or a 500").isEqualTo(v2[2]);
        assertThat(failed).isEqualTo(result.v2().count(500));
        assertThat(result.mirror().comparisons()).as("the mirror.compare meter agrees")
                .containsEntry("match", v2[1]).containsEntry("mismatch", v2[2])
                .containsEntry("not_comparable", v2[3]).containsEntry("error", v2[4]);
    }

    @Test
    void shouldShowRecentMismatchesWithTheIdsOfTheirRequests() {
        Map<String, String> productById = new HashMap<>();
        V1_LINE.matcher(output).results().forEach(m -> productById.put(m.group(3), m.group(1)));
        List<String> examples = examples();
        assertThat(examples).hasSizeBetween(1, ResponseDifferences.MAX_EXAMPLES);
        for (String example : examples) {
            Matcher request = Pattern.compile("^GET /reviews/(\\d+) id=(req-\\d+): ").matcher(example);
            assertThat(request.find()).as(example).isTrue();
            assertThat(productById).as("the id is in v1's log, for the same product").containsEntry(request.group(2),
                    request.group(1));
            if (Integer.parseInt(request.group(1)) % 7 == 0) {
                assertThat(example).contains("status 200 -> 500");
            } else {
                assertThat(example).contains("$.reviews[0].text removed", "$.reviews[0].body added",
                        "$.reviews[0].rating added");
            }
        }
    }

    /** The report is the library's MirrorReport, drawn from the demo's live mirror. */
    @Test
    void shouldWriteAWellFormedSelfContainedReport() throws Exception {
        Path report = dir.resolve("report.html");
        assertThat(summary()).contains("report        " + report.toAbsolutePath().normalize());
        String html = Files.readString(report);
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContainIgnoringCase("<script")
                .doesNotContain("src=", "href=", "@import", "url(http");

        Document document = parseReport();
        XPath xpath = XPathFactory.newInstance().newXPath();

        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("html");
        NodeList charts = (NodeList) xpath.evaluate("//*[local-name()='svg']/@id", document, XPathConstants.NODESET);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < charts.getLength(); i++) {
            ids.add(charts.item(i).getNodeValue());
        }
        assertThat(ids).containsExactly("traffic-graph", "chart-copies", "chart-errors", "chart-latency", "chart-outcomes");
        long requests = options.requests();
        assertThat(xpath.evaluate("normalize-space(//*[@id='title'])", document))
                .isEqualTo("reviews v1 \u2192 v2: mirrored traffic");
        assertThat(xpath.evaluate("normalize-space(//*[@id='tile-sent']/*[1])", document))
                .as("every request to v2 and to the control").isEqualTo(String.valueOf(2 * requests));
        long errors = result.v2().serverErrors();
        assertThat(xpath.evaluate("normalize-space(//*[@id='chart-outcomes']/*[local-name()='text']"
                + "[.='reviews-v2 answered 5xx']/following-sibling::*[local-name()='text'][1])", document))
                .isEqualTo(String.valueOf(errors));
        assertThat(xpath.evaluate("count(//*[@id='chart-errors']/*[local-name()='rect'])", document, XPathConstants.NUMBER))
                .as("one column per interval with v2 errors").isNotEqualTo(0.0);
    }

    @Test
    void shouldTabulateTheDifferencesAndTheNoiseInTheReport() throws Exception {
        Document document = parseReport();
        XPath xpath = XPathFactory.newInstance().newXPath();
        long requests = options.requests();
        long errors = result.v2().count(500);
        String v2Row = "//*[@id='fields-0']//*[local-name()='tr'][*[1]='%s' and *[2]='%s']/*[3]";
        assertThat(xpath.evaluate(String.format(v2Row, "$.reviews[*].text", "removed"), document))
                .isEqualTo(String.valueOf(requests - errors));
        assertThat(xpath.evaluate(String.format(v2Row, "$.reviews[*].body", "added"), document))
                .isEqualTo(String.valueOf(requests - errors));
        assertThat(xpath.evaluate(String.format(v2Row, "status", "changed"), document)).isEqualTo(String.valueOf(errors));
        assertThat(xpath.evaluate("string(//*[@id='fields-0'])", document)).doesNotContain("servedAt");
        assertThat(cells(document, "//*[@id='noise']//*[local-name()='tr'][2]")).containsExactly("$.servedAt",
                String.valueOf(requests));
        assertThat(cells(document, "//*[@id='comparison-counts']//*[local-name()='tr'][2]").subList(0, 8))
                .as("target, compared, match, mismatch, not comparable, error, not compared, set aside as noise")
                .containsExactly("reviews-v2", "" + requests, "0", "" + requests, "0", "0", "0", "" + requests);
        NodeList mirrorIds = (NodeList) xpath.evaluate("//*[@id='recent-mismatches']//*[local-name()='code']"
                + "[starts-with(., 'req-')]", document, XPathConstants.NODESET);
        assertThat(mirrorIds.getLength()).isBetween(1, 5);
        assertThat(ids(V1_LINE)).contains(mirrorIds.item(0).getTextContent());
        assertThat(xpath.evaluate("string(//*[@id='verdict'])", document)).contains("differ from the primary's")
                .contains("$.reviews[*].text removed x" + (requests - errors)).contains("listed below")
                .doesNotContain("listed above");
        assertThat(xpath.evaluate("string(//*[@id='values-hidden'])", document)).as("values are response data")
                .contains("show-values");
    }

    @Test
    void shouldStopEveryThreadItStarted() throws InterruptedException {
        for (Thread thread : threadsLeft) {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("thread %s still running", thread.getName()).isFalse();
        }
    }

    private static String summary() {
        int start = output.indexOf("summary: reviews v1 -> v2");
        assertThat(start).as("the summary is printed").isNotNegative();
        return output.substring(start);
    }

    /** The report, parsed as XML: it fails if the markup is not well-formed. */
    private static Document parseReport() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(dir.resolve("report.html").toFile());
    }

    /** The text of each cell of the table row {@code row} selects. */
    private static List<String> cells(Document document, String row) throws Exception {
        NodeList cells = (NodeList) XPathFactory.newInstance().newXPath().evaluate(row + "/*", document,
                XPathConstants.NODESET);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < cells.getLength(); i++) {
            texts.add(cells.item(i).getTextContent().strip());
        }
        return texts;
    }

    /** The differences section of the summary, up to the verdict. */
    private static String differences() {
        String summary = summary();
        int start = summary.indexOf("\ndifferences ");
        int end = summary.indexOf("\nverdict ");
        assertThat(start).as("the differences section is printed").isNotNegative();
        return summary.substring(start + 1, end + 1);
    }

    /** The table of the fields in which v2's answers differ, up to the noise lines. */
    private static String v2Fields() {
        String differences = differences();
        return differences.substring(differences.indexOf("field (noise set aside)"), differences.indexOf("\n  noise "));
    }

    private static Pattern field(String path, String kind, long count) {
        return Pattern.compile("\\n {14}" + Pattern.quote(path) + " +" + kind + " +" + count + "(\\n|$)");
    }

    private static long fieldCount(String path, String kind) {
        Matcher matcher = Pattern.compile("\\n {14}" + Pattern.quote(path) + " +" + kind + " +(\\d+)(\\n|$)")
                .matcher(v2Fields());
        assertThat(matcher.find()).as("%s %s is listed", path, kind).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** compared, match, mismatch, not comparable, error, from the line starting with {@code prefix}. */
    private static long[] comparisonCounts(String prefix) {
        Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "(\\d+) compared = (\\d+) match \\+ (\\d+) mismatch \\+ "
                + "(\\d+) not comparable \\+ (\\d+) error\\n").matcher(differences());
        assertThat(matcher.find()).as("counts after '%s'", prefix).isTrue();
        long[] counts = new long[5];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Long.parseLong(matcher.group(i + 1));
        }
        return counts;
    }

    /** The recent mismatches shown under "e.g.", each with its continuation lines joined. */
    private static List<String> examples() {
        String differences = differences();
        String[] lines = differences.substring(differences.indexOf("\n  e.g. ") + 1).split("\n");
        List<String> examples = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("  e.g. ") || line.matches(" {14}\\S.*")) {
                examples.add(line.substring(14));
            } else {
                examples.set(examples.size() - 1, examples.get(examples.size() - 1) + " " + line.strip());
            }
        }
        return examples;
    }

    private static Set<String> ids(Pattern lines) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher matcher = lines.matcher(output);
        while (matcher.find()) {
            ids.add(matcher.group(3));
        }
        return ids;
    }

    private static Set<Thread> nonDaemonThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!thread.isDaemon() && thread.isAlive()) {
                threads.add(thread);
            }
        }
        return threads;
    }
}
