package dev.trafficmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
    void shouldMirrorEveryRequestToV2() {
        long requests = options.requests();
        assertThat(summary()).contains(String.format(
                "mirrored %d of %d requests to reviews-v2: completed %d, failed 0, dropped 0, skipped 0",
                requests, requests, requests));
        assertThat(result.v2().requests()).isEqualTo(requests);
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
    void shouldSayWhereComparisonResultsWouldBeWithoutMakingAnyUp() {
        assertThat(result.differences().measured()).isFalse();
        assertThat(summary()).contains("differences   not measured");
    }

    @Test
    void shouldWriteAWellFormedSelfContainedReport() throws Exception {
        Path report = dir.resolve("report.html");
        assertThat(summary()).contains("report        " + report.toAbsolutePath().normalize());
        String html = Files.readString(report);
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContainIgnoringCase("<script")
                .doesNotContain("src=", "href=", "@import", "url(http");

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder().parse(report.toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();

        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("html");
        NodeList charts = (NodeList) xpath.evaluate("//*[local-name()='svg']/@id", document, XPathConstants.NODESET);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < charts.getLength(); i++) {
            ids.add(charts.item(i).getNodeValue());
        }
        assertThat(ids).containsExactly("traffic-graph", "chart-traffic", "chart-errors", "chart-latency", "chart-outcomes");
        long requests = options.requests();
        assertThat(xpath.evaluate("normalize-space(//*[@id='tile-mirrored']/*[1])", document))
                .isEqualTo(requests + " of " + requests);
        long errors = result.v2().serverErrors();
        assertThat(xpath.evaluate("normalize-space(//*[@id='chart-outcomes']/*[local-name()='text']"
                + "[.='reviews-v2 answered 500']/following-sibling::*[local-name()='text'][1])", document))
                .isEqualTo(String.valueOf(errors));
        assertThat(xpath.evaluate("count(//*[@id='chart-errors']/*[local-name()='rect'])", document, XPathConstants.NUMBER))
                .as("one column per interval with v2 errors").isNotEqualTo(0.0);
        assertThat(xpath.evaluate("normalize-space(//*[@id='response-differences'])", document)).startsWith("Not measured");
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
