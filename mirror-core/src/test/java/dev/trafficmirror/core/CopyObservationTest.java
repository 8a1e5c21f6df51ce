package dev.trafficmirror.core;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each copy that goes out is observed as {@code mirror.copy}, with the keys of its outcome, on real
 * shadows (MockWebServer, a socket that never answers); a copy that never goes out is not; the
 * observation is a child of the request's only when the trace context is propagated.
 */
class CopyObservationTest {

    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MockWebServer shadow = new MockWebServer();
    private Mirror mirror;

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
        shadow.close();
    }

    private Mirror.Builder mirrorTo(String url) {
        return Mirror.builder().name("reviews").target(MirrorTarget.of("v2", url)).meterRegistry(meters)
                .observationRegistry(observations);
    }

    private void answer(int status) throws Exception {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status).body("shadow").build();
            }
        });
        shadow.start(0);
    }

    private static MirrorRequest request() {
        return MirrorRequest.builder("POST", "/reviews").body("{}".getBytes(StandardCharsets.UTF_8)).build();
    }

    /** The id the shadow saw on the copy. */
    private String receivedId() throws InterruptedException {
        RecordedRequest copy = shadow.takeRequest(5, TimeUnit.SECONDS);
        assertThat(copy).as("the copy").isNotNull();
        return copy.getHeaders().get(Mirror.MIRROR_ID_HEADER);
    }

    private void awaitStopped() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(observations)
                .hasSingleObservationThat().hasBeenStopped());
    }

    @Test
    void shouldObserveACopyTheShadowAnsweredWith2xx() throws Exception {
        answer(201);
        mirror = mirrorTo(shadow.url("/").toString()).build();

        mirror.submit(request());
        String id = receivedId();
        awaitStopped();

        assertThat(observations).hasSingleObservationThat().hasNameEqualTo("mirror.copy")
                .hasLowCardinalityKeyValue("mirror", "reviews")
                .hasLowCardinalityKeyValue("target", "v2")
                .hasLowCardinalityKeyValue("outcome", "completed")
                .hasLowCardinalityKeyValue("reason", "none")
                .hasLowCardinalityKeyValue("status", "2xx")
                .hasHighCardinalityKeyValue("mirror.id", id)
                .doesNotHaveHighCardinalityKeyValueWithKey("target")
                .doesNotHaveError()
                .doesNotHaveParentObservation();
        assertThat(id).isNotBlank();
    }

    @Test
    void shouldObserveACopyTheShadowAnsweredWith5xx() throws Exception {
        answer(503);
        mirror = mirrorTo(shadow.url("/").toString()).build();

        mirror.submit(request());
        String id = receivedId();
        awaitStopped();

        assertThat(observations).hasSingleObservationThat().hasNameEqualTo("mirror.copy")
                .hasLowCardinalityKeyValue("outcome", "completed")
                .hasLowCardinalityKeyValue("reason", "none")
                .hasLowCardinalityKeyValue("status", "5xx")
                .hasHighCardinalityKeyValue("mirror.id", id)
                .doesNotHaveError();
    }

    @Test
    void shouldObserveACopyThatTimedOutAsFailedWithItsError() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            mirror = mirrorTo("http://127.0.0.1:" + silent.getLocalPort()).timeout(Duration.ofMillis(300)).build();

            mirror.submit(request());
            awaitStopped();

            assertThat(observations).hasSingleObservationThat().hasNameEqualTo("mirror.copy")
                    .hasLowCardinalityKeyValue("target", "v2")
                    .hasLowCardinalityKeyValue("outcome", "failed")
                    .hasLowCardinalityKeyValue("reason", "timeout")
                    .hasLowCardinalityKeyValue("status", "none")
                    .hasHighCardinalityKeyValueWithKey("mirror.id")
                    .assertThatError().isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void shouldObserveACopyThroughTheApplicationsSinkOnItsSenderThread() {
        mirror = mirrorTo("http://v2").sink((target, copy) -> {
            throw new java.net.ConnectException("Connection refused");
        }).build();

        mirror.submit(request());
        awaitStopped();

        assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", "failed")
                .hasLowCardinalityKeyValue("reason", "connect")
                .hasLowCardinalityKeyValue("status", "none")
                .hasError();
    }

    @Test
    void shouldNotObserveACopyThatNeverWentOut() throws Exception {
        answer(200);
        // The body does not fit in the byte budget: the copy is dropped before it is queued.
        mirror = mirrorTo(shadow.url("/").toString()).maxBufferedBytes(1).build();

        mirror.submit(request());

        assertThat(meters.get("mirror.requests").tags("target", "v2", "reason", "memory_budget").counter().count())
                .isEqualTo(1);
        assertThat(observations).doesNotHaveAnyObservation();
        assertThat(shadow.getRequestCount()).isZero();
    }

    /** The default, unsampled: a copy's span must not land in the production trace. */
    @Test
    void shouldNotMakeTheCopyAChildOfTheRequestsObservationUnlessTheTraceIsPropagated() throws Exception {
        answer(200);
        for (TracePropagation trace : new TracePropagation[] {TracePropagation.UNSAMPLED, TracePropagation.STRIP}) {
            observations.clear();
            mirror = mirrorTo(shadow.url("/").toString()).trace(trace).build();

            submitWithin(Observation.createNotStarted("http.server.requests", observations));
            awaitCopy();

            assertThat(observations).as(trace.name()).hasObservationWithNameEqualTo("mirror.copy").that()
                    .doesNotHaveParentObservation();
            mirror.close(Duration.ZERO);
        }
    }

    @Test
    void shouldMakeTheCopyAChildOfTheRequestsObservationWhenTheTraceIsPropagated() throws Exception {
        answer(200);
        mirror = mirrorTo(shadow.url("/").toString()).trace(TracePropagation.PROPAGATE).build();
        Observation request = Observation.createNotStarted("http.server.requests", observations);

        submitWithin(request);
        awaitCopy();

        assertThat(observations).hasObservationWithNameEqualTo("mirror.copy").that().hasParentObservationEqualTo(request);
    }

    /** The copy is decided and handed over on this thread, within the request's observation, as a filter does. */
    private void submitWithin(Observation request) {
        request.start();
        try (Observation.Scope scope = request.openScope()) {
            mirror.submit(request());
        } finally {
            request.stop();
        }
    }

    private void awaitCopy() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(observations)
                .hasObservationWithNameEqualTo("mirror.copy").that().hasBeenStopped());
    }

    @Test
    void shouldObserveNothingWithoutARegistryOrWithTheNoopOne() {
        assertThat(CopyObservations.of(null, "reviews", TracePropagation.PROPAGATE)).isNull();
        assertThat(CopyObservations.of(ObservationRegistry.NOOP, "reviews", TracePropagation.PROPAGATE)).isNull();
        assertThat(CopyObservations.of(observations, "reviews", TracePropagation.UNSAMPLED)).isNotNull();
    }
}
