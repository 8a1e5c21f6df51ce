package dev.trafficmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plain-servlet example against a real shadow on loopback. */
class PlainServletExampleTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final MockWebServer shadow = new MockWebServer();
    private PlainServletExample app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        shadow.close();
    }

    @Test
    void shouldMirrorAPostWithItsBodyAndTheMirrorId() throws Exception {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(500).body("the shadow's answer never reaches the user").build();
            }
        });
        shadow.start(InetAddress.getLoopbackAddress(), 0);
        app = PlainServletExample.start(0, shadow.url("/").toString(), registry);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(app.url() + "/reviews/7?lang=en"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "order-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stars\":5}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("stored {\"stars\":5}");
        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getMethod()).isEqualTo("POST");
        assertThat(copy.getTarget()).isEqualTo("/reviews/7?lang=en");
        assertThat(copy.getBody().utf8()).isEqualTo("{\"stars\":5}");
        assertThat(copy.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(copy.getHeaders().get("X-Mirror-Id")).isEqualTo("order-42");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.get("mirror.requests")
                .tags("target", "reviews-v2", "outcome", "completed").counter().count()).isEqualTo(1.0));
        assertThat(registry.get("mirror.shadow.duration").tags("target", "reviews-v2", "status", "5xx").timer().count())
                .isEqualTo(1);
    }

    @Test
    void shouldAnswerUsersWhenTheShadowIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        app = PlainServletExample.start(0, "http://127.0.0.1:" + closedPort, registry);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(app.url() + "/reviews/1"))
                .POST(HttpRequest.BodyPublishers.ofString("great")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("stored great");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.get("mirror.requests")
                .tags("target", "reviews-v2", "outcome", "failed", "reason", "connect").counter().count()).isEqualTo(1.0));
    }

    @Test
    void shouldServeTheReportToOperatorsWithoutMirroringTheirRequests() throws Exception {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("v2").build();
            }
        });
        shadow.start(InetAddress.getLoopbackAddress(), 0);
        app = PlainServletExample.start(0, shadow.url("/").toString(), registry);
        client.send(HttpRequest.newBuilder(URI.create(app.url() + "/reviews/1"))
                .POST(HttpRequest.BodyPublishers.ofString("great")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.get("mirror.requests")
                .tags("target", "reviews-v2", "outcome", "completed").counter().count()).isEqualTo(1.0));

        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(app.url() + "/admin/mirror")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<h1 id=\"title\">reviews: mirrored traffic</h1>", "reviews-v2");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.get("mirror.requests")
                .tags("target", "reviews-v2", "outcome", "skipped", "reason", "excluded").counter().count())
                .isEqualTo(1.0));
        assertThat(shadow.getRequestCount()).as("only the application's request was copied").isEqualTo(1);
    }
}
