package dev.trafficmirror.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a live mirror served by {@link MirrorReportServlet} on Jetty, as a plain servlet
 * user serves it; read over HTTP everywhere, and drawn by a real headless Chromium where one is
 * installed.
 */
class ReportInBrowserTest {

    static LiveMirror live;
    static MirrorReport report;
    static Server server;
    static String url;

    @TempDir
    static Path dir;

    @BeforeAll
    static void serve() throws Exception {
        live = new LiveMirror();
        report = MirrorReport.builder(live.mirror).meterRegistry(live.registry).title("reviews")
                .primaryName("reviews-v1").interval(Duration.ofMillis(100)).build();
        for (int round = 0; round < 5; round++) {
            live.send(10);
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> live.mirror.comparisons().target("v2").compared() == 50);
        server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new MirrorReportServlet(report)), "/admin/mirror");
        server.setHandler(context);
        server.start();
        url = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/admin/mirror";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        report.close();
        live.close();
    }

    @Test
    void shouldServeThePageNeverCachedWithAPolicyThatAllowsNothingButItsStyles() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'");
        new ReportPage(page.body()).assertSelfContained();

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldBeParsedByARealBrowser() throws Exception {
        HeadlessChromium.assumeInstalled();
        String dom = HeadlessChromium.dom(url, dir);
        assertThat(dom).contains("<h1 id=\"title\">reviews: mirrored traffic</h1>")
                .contains("id=\"traffic-graph\"", "id=\"chart-copies\"", "id=\"chart-errors\"", "id=\"chart-latency\"",
                        "id=\"chart-outcomes\"", "id=\"fields-0\"")
                .contains("Look before releasing v2");
    }

    @Test
    void shouldDrawEveryTargetsLinesBarsAndTheVerdict() throws Exception {
        HeadlessChromium.assumeInstalled();
        BufferedImage page = HeadlessChromium.screenshot(url, 1200, 3200, dir);
        // for a person to look at
        ImageIO.write(page, "png", Path.of("target", "report-in-browser.png").toFile());
        // v2's orange, the control's grey, the red of the verdict's border and of the 5xx columns
        assertThat(HeadlessChromium.pixels(page, 0xdd6b20)).as("v2's colour").isGreaterThan(2000);
        assertThat(HeadlessChromium.pixels(page, 0x718096)).as("the control's colour").isGreaterThan(1500);
        assertThat(HeadlessChromium.pixels(page, 0xc53030)).as("the verdict and the errors").isGreaterThan(3000);
    }

    @Test
    void aLineDrawnUnderAnotherWithTheSameValuesStaysVisible() throws Exception {
        HeadlessChromium.assumeInstalled();
        double[] same = {3, 5, 4, 6, 5, 7, 6, 8, 7, 9};
        String chart = SvgCharts.lineChart("same", "Copies per second", "copies/s", "seconds", 1, false, List.of(
                new SvgCharts.Series("under", same, "#805ad5", false),
                new SvgCharts.Series("over", same, "#dd6b20", false)));
        Path page = dir.resolve("same.html");
        Files.writeString(page, "<!DOCTYPE html><html><body style=\"margin:0;background:#fff\"><div style=\"width:1120px\">"
                + chart + "</div></body></html>", StandardCharsets.UTF_8);
        BufferedImage drawn = HeadlessChromium.screenshot(page.toUri().toString(), 1120, 560, dir);
        long under = HeadlessChromium.pixels(drawn, 0x805ad5);
        long over = HeadlessChromium.pixels(drawn, 0xdd6b20);
        assertThat(over).as("the line on top").isGreaterThan(3000);
        // the legend alone has a few hundred; the line underneath shows on both sides of the top one
        assertThat(under).as("the line underneath").isGreaterThan(3000);
    }
}
