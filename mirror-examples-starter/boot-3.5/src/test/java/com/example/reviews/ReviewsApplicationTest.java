package com.example.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application as the README configures it, mirroring to a real shadow on loopback (v2: it
 * renames "text" to "body", adds "rating" and fails product 7); read as a user would, over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "mirror.report.interval=1s")
class ReviewsApplicationTest {

    private static final HttpServer shadow = startShadow();
    private static final Queue<String> copies = new ConcurrentLinkedQueue<>();
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void shadow(DynamicPropertyRegistry properties) {
        properties.add("mirror.target", () -> "http://127.0.0.1:" + shadow.getAddress().getPort());
    }

    @AfterAll
    static void stopShadow() {
        shadow.stop(0);
    }

    @Test
    void shouldMirrorEveryRequestToTheShadow() throws Exception {
        assertThat(get("/reviews/1", null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> copies.contains("/reviews/1"));
    }

    @Test
    void shouldKeepHealthAndMetricsAndCountTheCopies() throws Exception {
        get("/reviews/2", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> copies.contains("/reviews/2"));
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> requests = get("/actuator/metrics/mirror.requests", null);
        assertThat(requests.statusCode()).isEqualTo(200);
        assertThat(requests.body()).contains("\"name\":\"mirror.requests\"");
    }

    @Test
    void shouldShowTheReportToABrowserAndJsonToEveryoneElse() throws Exception {
        for (int i = 1; i <= 14; i++) {
            get("/reviews/" + i, null);
        }
        HttpResponse<String> page = get("/actuator/mirror", BROWSER);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<h1 id=\"title\">reviews: mirrored traffic</h1>",
                "id=\"traffic-graph\"", "id=\"chart-copies\"");

        HttpResponse<String> json = get("/actuator/mirror", "*/*");
        assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json.body()).startsWith("{\"enabled\":true,\"targets\":[");

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/actuator/mirror/nowhere"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"percentage\":5}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("no target is named 'nowhere'");
    }

    /**
     * The answers compared field by field, with the only Jackson Spring Boot's web starter brings (3
     * on Boot 4.1, 2 on Boot 3.5): v2 lacks "text", adds "body" and "rating", and "servedAt" differs
     * on every answer. Compared as whole bodies, the only field would be "body".
     */
    @Test
    void shouldCompareTheJsonAnswersFieldByField() throws Exception {
        boolean boot4 = SpringBootVersion.getVersion().startsWith("4.");
        assertThat(present("tools.jackson.core.json.JsonFactory")).as("Jackson 3").isEqualTo(boot4);
        assertThat(present("com.fasterxml.jackson.core.JsonFactory")).as("Jackson 2").isEqualTo(!boot4);

        get("/reviews/3", null);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String json = get("/actuator/mirror", "application/json").body();
            assertThat((String) JsonPath.read(json, "$.sections.comparisons.json")).isEqualTo(boot4 ? "jackson_3" : "jackson_2");
            assertThat((List<String>) JsonPath.read(json, "$.sections.comparisons.targets[0].topFields[*].path"))
                    .contains("$.text", "$.body", "$.rating", "$.servedAt").doesNotContain("body");
        });
    }

    private static boolean present(String className) {
        try {
            Class.forName(className);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Where Debian's Chromium is installed, the report as a browser draws it: target/live-report.png. */
    @Test
    void shouldDrawTheLiveReportInABrowser() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(chromium),
                "no /usr/bin/chromium (Debian package chromium): the live report is not drawn in a browser here");
        for (int second = 0; second < 6; second++) {
            for (int i = 1; i <= 14; i++) {
                get("/reviews/" + i, null);
            }
            await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
        }
        Path target = Path.of("target");
        Path png = target.resolve("live-report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory(target, "chromium-profile");
        Process browser = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--hide-scrollbars",
                "--window-size=1200,1800", "--screenshot=" + png, uri("/actuator/mirror").toString()))
                .redirectErrorStream(true).redirectOutput(target.resolve("chromium.log").toFile()).start();
        assertThat(browser.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(50_000);
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** v2 of the application: "text" renamed "body", a "rating" added, and a 500 for product 7. */
    private static HttpServer startShadow() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getRawPath();
                copies.add(path);
                String id = path.substring(path.lastIndexOf('/') + 1);
                boolean fails = id.equals("7");
                byte[] body = (fails ? "{\"error\":\"NullPointerException in RatingsClient\"}"
                        : "{\"product\":" + id + ",\"body\":\"An extremely entertaining play by Shakespeare.\","
                                + "\"rating\":5,\"servedAt\":\"" + System.nanoTime() + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(fails ? 500 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
