package dev.trafficmirror.spring.integration;

import static dev.trafficmirror.spring.integration.MirrorCounts.WAIT;
import static dev.trafficmirror.spring.integration.MirrorCounts.awaitCounted;
import static dev.trafficmirror.spring.integration.MirrorCounts.counts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Path patterns in an application deployed under a context path: they are written, and matched,
 * as the application's own mappings are, without it. An exclusion written like the controller's
 * mapping keeps that endpoint's writes off the shadow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = MirrorContextPathApplicationTest.PaymentsApp.class,
        properties = {
            "server.servlet.context-path=/shop",
            "management.endpoints.web.exposure.include=health",
            "mirror.exclude-paths=/pay/{id}/capture"
        })
class MirrorContextPathApplicationTest {

    private static final MockWebServer shadow = new MockWebServer();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();

    @Value("${local.server.port}")
    int port;

    @Autowired
    Mirror mirror;

    @DynamicPropertySource
    static void target(DynamicPropertyRegistry properties) throws IOException {
        shadow.enqueue(new MockResponse.Builder().code(200).body("shadow").build());
        shadow.start(InetAddress.getLoopbackAddress(), 0);
        properties.add("mirror.targets[0].name", () -> "shadow");
        properties.add("mirror.targets[0].url", () -> "http://127.0.0.1:" + shadow.getPort());
    }

    @AfterAll
    static void stopShadow() {
        shadow.close();
    }

    @Test
    void shouldExcludeWhatTheMappingServesAndMirrorTheRestWithTheWholePath() throws Exception {
        Map<Reason, Long> before = counts(mirror, "shadow");

        assertThat(post("/shop/pay/7/capture").body()).isEqualTo("captured 7");
        assertThat(http.send(HttpRequest.newBuilder(uri("/shop/actuator/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(post("/shop/pay/7/refund").body()).isEqualTo("refunded 7");

        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getTarget()).as("the copy keeps the context path").isEqualTo("/shop/pay/7/refund");
        awaitCounted(mirror, "shadow", before, Map.of(Reason.EXCLUDED, 2L, Reason.NONE, 1L));
        assertThat(shadow.getRequestCount()).as("the capture and Actuator never reached the shadow").isEqualTo(1);
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @SpringBootApplication
    @RestController
    static class PaymentsApp {

        @PostMapping("/pay/{id}/capture")
        String capture(@PathVariable String id, @RequestBody String body) {
            return "captured " + id;
        }

        @PostMapping("/pay/{id}/refund")
        String refund(@PathVariable String id, @RequestBody String body) {
            return "refunded " + id;
        }
    }
}
