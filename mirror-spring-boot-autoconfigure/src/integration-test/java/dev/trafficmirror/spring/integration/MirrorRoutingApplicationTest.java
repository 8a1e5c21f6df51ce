package dev.trafficmirror.spring.integration;

import static dev.trafficmirror.spring.integration.MirrorCounts.WAIT;
import static dev.trafficmirror.spring.integration.MirrorCounts.awaitCounted;
import static dev.trafficmirror.spring.integration.MirrorCounts.counts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.compare.ComparisonSummary.TargetSummary;
import dev.trafficmirror.core.compare.Difference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The routing properties in a real Spring Boot application on Tomcat, with Actuator on the
 * application's own port: which requests reach the shadow (a MockWebServer), and what their copies
 * carry; with comparison on, the comparisons on the endpoint; and, with mirror.forms=skip, forms
 * the container parsed left unmirrored. Runs on Spring Boot 3.5 and,
 * from mirror-spring-boot4-tests, 4.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = MirrorSpringBootApplicationTest.ReviewsApp.class,
        properties = {
            "management.endpoints.web.exposure.include=health,mirror",
            "mirror.exclude-paths=/reviews/0",
            "mirror.methods=GET,POST",
            "mirror.primary-status=2xx",
            "mirror.headers.remove=Authorization",
            "mirror.headers.set.X-Env=staging-7",
            "mirror.headers.host=preserve",
            "mirror.compare.enabled=true",
            "mirror.forms=skip"
        })
class MirrorRoutingApplicationTest {

    private static final MockWebServer shadow = new MockWebServer();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();

    @Value("${local.server.port}")
    int port;

    @Autowired
    Mirror mirror;

    @DynamicPropertySource
    static void target(DynamicPropertyRegistry properties) throws IOException {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // Reviews are answered as the application does (a match); everything else is not.
                if (request.getMethod().equals("GET") && request.getTarget().startsWith("/ratings/")) {
                    // v2 renamed "stars" to "rating" and writes its keys in another order.
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                            .body("{\"tags\": [\"a\", \"b\"], \"rating\": 4, \"id\": "
                                    + request.getTarget().substring("/ratings/".length()) + "}").build();
                }
                if (request.getMethod().equals("GET") && request.getTarget().startsWith("/reviews/")) {
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain;charset=UTF-8")
                            .body("review " + request.getTarget().substring("/reviews/".length())).build();
                }
                return new MockResponse.Builder().code(200).body("shadow").build();
            }
        });
        shadow.start(InetAddress.getLoopbackAddress(), 0);
        properties.add("mirror.targets[0].name", () -> "shadow");
        properties.add("mirror.targets[0].url", () -> "http://127.0.0.1:" + shadow.getPort());
    }

    @AfterAll
    static void stopShadow() {
        shadow.close();
    }

    /** mirror.forms=skip: only exact bytes are mirrored, so a form the container parsed is not. */
    @Test
    void shouldCountAParsedFormAsConsumedWhenFormsAreSkipped() throws Exception {
        Map<Reason, Long> before = counts(mirror, "shadow");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/forms?source=web"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("stars=4&text=ok")));

        assertThat(response.body()).isEqualTo("form source=web stars=4 text=ok");
        awaitCounted(mirror, "shadow", before, Map.of(Reason.BODY_CONSUMED, 1L));
    }

    @Test
    void shouldLeaveActuatorOutAndMirrorTheApplicationWithTheHeaderRules() throws Exception {
        Map<Reason, Long> before = counts(mirror, "shadow");
        int received = shadow.getRequestCount();

        assertThat(send(HttpRequest.newBuilder(uri("/actuator/health")).GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> endpoint = send(HttpRequest.newBuilder(uri("/actuator/mirror")).GET());
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/mirror")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}"))).statusCode()).isEqualTo(200);

        assertThat(endpoint.statusCode()).isEqualTo(200);
        assertThat((List<String>) JsonPath.read(endpoint.body(), "$.properties.headers.set")).containsExactly("X-Env");
        assertThat(endpoint.body()).doesNotContain("staging-7").contains("\"exclude-management-endpoints\":true");
        awaitCounted(mirror, "shadow", before, Map.of(Reason.EXCLUDED, 3L));
        assertThat(shadow.getRequestCount()).isEqualTo(received);

        before = counts(mirror, "shadow");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/reviews/7"))
                .header("Authorization", "Bearer secret").header("X-Env", "prod").GET());

        assertThat(response.body()).isEqualTo("review 7");
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getTarget()).isEqualTo("/reviews/7");
        assertThat(copy.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + port);
        assertThat(copy.getHeaders().get("Authorization")).isNull();
        assertThat(copy.getHeaders().values("X-Env")).containsExactly("staging-7");
        awaitCounted(mirror, "shadow", before, Map.of(Reason.NONE, 1L));
    }

    @Test
    void shouldMirrorOnlyThePathsMethodsAndPrimaryStatusesConfigured() throws Exception {
        Map<Reason, Long> before = counts(mirror, "shadow");
        int received = shadow.getRequestCount();

        assertThat(send(HttpRequest.newBuilder(uri("/reviews/0")).GET()).body()).isEqualTo("review 0");
        assertThat(send(HttpRequest.newBuilder(uri("/reviews/7")).DELETE()).statusCode()).isEqualTo(405);
        assertThat(send(HttpRequest.newBuilder(uri("/nowhere")).GET()).statusCode()).isEqualTo(404);
        awaitCounted(mirror, "shadow", before, Map.of(Reason.EXCLUDED, 2L, Reason.PRIMARY_STATUS, 1L));
        assertThat(shadow.getRequestCount()).isEqualTo(received);

        before = counts(mirror, "shadow");
        assertThat(send(HttpRequest.newBuilder(uri("/reviews")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stars\":4}"))).body()).isEqualTo("saved {\"stars\":4}");
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getTarget()).isEqualTo("/reviews");
        assertThat(copy.getBody().utf8()).isEqualTo("{\"stars\":4}");
        awaitCounted(mirror, "shadow", before, Map.of(Reason.NONE, 1L));
    }

    @Test
    void shouldCompareTheAnswersAndShowTheResultsOnTheEndpoint() throws Exception {
        TargetSummary before = mirror.comparisons().target("shadow");

        assertThat(send(HttpRequest.newBuilder(uri("/reviews/5")).GET()).body()).isEqualTo("review 5");
        assertThat(send(HttpRequest.newBuilder(uri("/reviews")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stars\":5}"))).body()).isEqualTo("saved {\"stars\":5}");
        // Taken, so that no other test reads these copies as its own.
        assertThat(shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        assertThat(shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        await().atMost(WAIT).untilAsserted(() -> {
            TargetSummary now = mirror.comparisons().target("shadow");
            assertThat(now.matches()).isEqualTo(before.matches() + 1);
            assertThat(now.mismatches()).isEqualTo(before.mismatches() + 1);
        });

        HttpResponse<String> endpoint = send(HttpRequest.newBuilder(uri("/actuator/mirror")).GET());

        assertThat(endpoint.statusCode()).isEqualTo(200);
        String json = endpoint.body();
        assertThat((String) JsonPath.read(json, "$.sections.comparisons.targets[0].name")).isEqualTo("shadow");
        assertThat(((Number) JsonPath.read(json, "$.sections.comparisons.targets[0].results.match")).longValue())
                .isGreaterThanOrEqualTo(before.matches() + 1);
        assertThat(((Number) JsonPath.read(json, "$.sections.comparisons.targets[0].results.mismatch")).longValue())
                .isGreaterThanOrEqualTo(before.mismatches() + 1);
        // Milliseconds as numbers, whatever Jackson the endpoint writes with.
        assertThat((Object) JsonPath.read(json, "$.sections.comparisons.targets[0].latency.primaryMillis.max"))
                .isInstanceOf(Number.class);
        assertThat((List<String>) JsonPath.read(json, "$.sections.comparisons.recentMismatches[*].path"))
                .contains("/reviews");
        assertThat((Boolean) JsonPath.read(json, "$.properties.compare.enabled")).isTrue();
    }

    /**
     * JSON answers compared field by field with whichever Jackson the application has: Spring Boot
     * 3.5's web starter brings Jackson 2 only, Boot 4.1's Jackson 3 only. Compared as whole bodies,
     * the reordered keys would make one "body changed".
     */
    @Test
    void shouldCompareJsonAnswersFieldByFieldWithTheJacksonSpringBootBrings() throws Exception {
        boolean boot4 = SpringBootVersion.getVersion().startsWith("4.");

        assertThat(send(HttpRequest.newBuilder(uri("/ratings/3")).GET()).body())
                .isEqualTo("{\"id\":3,\"stars\":4,\"tags\":[\"a\",\"b\"]}");
        assertThat(shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS).getTarget()).isEqualTo("/ratings/3");
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirror.comparisons().recentMismatches())
                .filteredOn(mismatch -> mismatch.path().equals("/ratings/3")).singleElement()
                .satisfies(mismatch -> assertThat(mismatch.differences()).extracting(Difference::path)
                        .containsExactly("$.stars", "$.rating")));

        String json = send(HttpRequest.newBuilder(uri("/actuator/mirror")).GET()).body();
        assertThat((String) JsonPath.read(json, "$.sections.comparisons.json")).isEqualTo(boot4 ? "jackson_3" : "jackson_2");
        assertThat(classPresent("tools.jackson.core.json.JsonFactory")).as("Jackson 3").isEqualTo(boot4);
        assertThat(classPresent("com.fasterxml.jackson.core.JsonFactory")).as("Jackson 2").isEqualTo(!boot4);
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
