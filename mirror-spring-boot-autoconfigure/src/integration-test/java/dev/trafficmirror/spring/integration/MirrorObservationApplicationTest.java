package dev.trafficmirror.spring.integration;

import static dev.trafficmirror.spring.integration.MirrorCounts.WAIT;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * An Observation per copy in a Spring Boot application: the auto-configured mirror takes the
 * application's {@link ObservationRegistry} (here a {@link TestObservationRegistry}, which Spring
 * Boot configures as it would its own: its predicates, its meter handler), each copy is observed as
 * {@code mirror.copy}, a child of the request's {@code http.server.requests} observation only with
 * {@code mirror.trace=propagate}, and {@code management.observations.enable.mirror=false} turns it
 * off. Runs on Spring Boot 3.5 and, from mirror-spring-boot4-tests, 4.1.
 */
class MirrorObservationApplicationTest {

    private final MockWebServer shadow = new MockWebServer();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT)
            .build();
    private ConfigurableApplicationContext application;

    @BeforeEach
    void startShadow() throws Exception {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(503).body("shadow").build();
            }
        });
        shadow.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        if (application != null) {
            application.close();
        }
        shadow.close();
    }

    private void start(String... properties) {
        application = new SpringApplicationBuilder(MirrorSpringBootApplicationTest.ReviewsApp.class)
                .initializers(context -> ((GenericApplicationContext) context)
                        .registerBean(ObservationRegistry.class, () -> observations))
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "mirror.targets[0].name=shadow", "mirror.targets[0].url=http://127.0.0.1:" + shadow.getPort())
                .properties(properties)
                .run();
    }

    /** Asks the application for a review; the copy's id, as the shadow received it. */
    private String getReview() throws Exception {
        int port = Integer.parseInt(application.getEnvironment().getProperty("local.server.port"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/reviews/7")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("review 7");
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).as("the copy").isNotNull();
        return copy.getHeaders().get(Mirror.MIRROR_ID_HEADER);
    }

    @Test
    void shouldObserveEachCopyAsAChildOfTheRequestWhenTheTraceIsPropagated() throws Exception {
        start("mirror.trace=propagate");

        String id = getReview();

        await().atMost(WAIT).untilAsserted(() -> assertThat(observations).hasObservationWithNameEqualTo("mirror.copy")
                .that().hasBeenStopped());
        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("mirror.copy", 1)
                .hasObservationWithNameEqualTo("mirror.copy").that()
                .hasLowCardinalityKeyValue("mirror", "default")
                .hasLowCardinalityKeyValue("target", "shadow")
                .hasLowCardinalityKeyValue("outcome", "completed")
                .hasLowCardinalityKeyValue("reason", "none")
                .hasLowCardinalityKeyValue("status", "5xx")
                .hasHighCardinalityKeyValue("mirror.id", id)
                .hasParentObservationContextMatching(parent -> "http.server.requests".equals(parent.getName()));
        // Spring Boot's meter handler times the observations: mirror.copy, by its low-cardinality keys.
        assertThat(application.getBean(MeterRegistry.class).get("mirror.copy")
                .tags("target", "shadow", "outcome", "completed", "status", "5xx").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldObserveEachCopyOutsideTheRequestsTraceByDefault() throws Exception {
        start();

        getReview();

        await().atMost(WAIT).untilAsserted(() -> assertThat(observations).hasObservationWithNameEqualTo("mirror.copy")
                .that().hasBeenStopped());
        assertThat(observations).as("the request is observed").hasObservationWithNameEqualTo("http.server.requests");
        assertThat(observations).hasObservationWithNameEqualTo("mirror.copy").that().doesNotHaveParentObservation();
    }

    @Test
    void shouldObserveNoCopyWhenTheApplicationTurnsMirrorObservationsOff() throws Exception {
        start("management.observations.enable.mirror=false", "mirror.trace=propagate");

        getReview();

        Mirror mirror = application.getBean(Mirror.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(MirrorCounts.counts(mirror, "shadow").get(Reason.NONE))
                .as("the copy completed").isEqualTo(1));
        assertThat(observations).as("the request itself is still observed")
                .hasObservationWithNameEqualTo("http.server.requests");
        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("mirror.copy", 0);
        assertThat(application.getBean(MeterRegistry.class).find("mirror.copy").timers()).isEmpty();
    }
}
