package dev.trafficmirror.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example as shipped (its application.properties), with only {@code mirror.target} pointed at
 * a real shadow on loopback and a random port for the application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReviewsApplicationTest {

    static final MockWebServer shadow = new MockWebServer();

    @DynamicPropertySource
    static void mirrorToTheShadow(DynamicPropertyRegistry properties) throws IOException {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(503).build();
            }
        });
        shadow.start(InetAddress.getLoopbackAddress(), 0);
        properties.add("mirror.target", () -> shadow.url("/").toString());
    }

    @AfterAll
    static void stopShadow() {
        shadow.close();
    }

    @Autowired
    TestRestTemplate rest;

    @Autowired
    Mirror mirror;

    @Autowired
    MeterRegistry registry;

    @Test
    void shouldMirrorWithPropertiesOnly() throws Exception {
        assertThat(mirror.targets()).singleElement()
                .satisfies(target -> assertThat(target.url()).isEqualTo(shadow.url("/").toString().replaceAll("/$", "")));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);

        ResponseEntity<String> response = rest.postForEntity("/reviews/7", new HttpEntity<>("{\"stars\":4}", headers),
                String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        assertThat(response.getBody()).isEqualTo("stored {\"stars\":4}");
        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getMethod()).isEqualTo("POST");
        assertThat(copy.getTarget()).isEqualTo("/reviews/7");
        assertThat(copy.getBody().utf8()).isEqualTo("{\"stars\":4}");
        assertThat(copy.getHeaders().get("X-Mirror-Id")).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.get("mirror.shadow.duration")
                .tags("target", shadow.getHostName() + ":" + shadow.getPort(), "status", "5xx").timer().count())
                .isEqualTo(1));
    }

    @Test
    void shouldShowTheMirrorsMetersOnTheActuator() {
        rest.getForEntity("/reviews", String.class);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                rest.getForObject("/actuator/metrics/mirror.requests?tag=outcome:completed", String.class))
                .contains("\"name\":\"mirror.requests\"").containsPattern("\"value\":[1-9]"));
    }
}
