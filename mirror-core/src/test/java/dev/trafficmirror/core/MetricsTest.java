package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.test.RecordingSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;

/** The meters a mirror registers, and the reason each kind of failure is counted under. */
class MetricsTest {

    @Test
    void shouldRegisterEveryOutcomeAndReasonForEveryTargetBeforeAnythingHappens() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mirror mirror = Mirror.builder().target(MirrorTarget.of("a", "http://a")).target(MirrorTarget.of("b", "http://b"))
                .meterRegistry(registry).sink(new RecordingSink()).build();
        try {
            for (String target : new String[] {"a", "b"}) {
                for (Reason reason : Reason.values()) {
                    Counter counter = registry.find("mirror.requests").tag("target", target)
                            .tag("outcome", reason.outcome().tag()).tag("reason", reason.tag()).counter();
                    assertThat(counter).as(target + " " + reason).isNotNull();
                    assertThat(counter.count()).isZero();
                }
                for (String status : new String[] {"1xx", "2xx", "3xx", "4xx", "5xx"}) {
                    assertThat(registry.find("mirror.shadow.duration").tag("target", target).tag("status", status).timer())
                            .as(target + " " + status).isNotNull();
                }
            }
            assertThat(registry.find("mirror.requests").counters()).hasSize(2 * Reason.values().length);
            assertThat(registry.get("mirror.inflight").gauge().value()).isZero();
            assertThat(registry.get("mirror.buffered").gauge().value()).isZero();
            assertThat(registry.get("mirror.buffered").gauge().getId().getBaseUnit()).isEqualTo("bytes");
        } finally {
            mirror.close(Duration.ZERO);
        }
    }

    @Test
    void shouldKeepTwoMirrorsInOneRegistryApartByTheirNameAndRemoveEveryMeterOnClose() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RecordingSink recorded = new RecordingSink();
        Mirror orders = Mirror.builder().name("orders").target(MirrorTarget.of("v2", "http://a").compare(true))
                .meterRegistry(registry).sink(recorded).build();
        Mirror reviews = Mirror.builder().name("reviews").target(MirrorTarget.of("v2", "http://b"))
                .meterRegistry(registry).sink(recorded).build();
        try {
            orders.integration().counter("mirror.body.rebuilt", "rebuilt bodies", "type", "form").increment();
            orders.submit(MirrorRequest.builder("GET", "/").build());
            recorded.await(1, Duration.ofSeconds(5));
            await().untilAsserted(() -> assertThat(registry.get("mirror.requests").tags("mirror", "orders", "target", "v2",
                    "reason", "none").counter().count()).isEqualTo(1));

            assertThat(registry.get("mirror.requests").tags("mirror", "reviews", "target", "v2", "reason", "none")
                    .counter().count()).as("the other mirror's target of the same name").isZero();
            assertThat(registry.find("mirror.inflight").gauges()).extracting(gauge -> gauge.getId().getTag("mirror"))
                    .containsExactlyInAnyOrder("orders", "reviews");
            assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTag("mirror")).isNotNull());

            orders.close(Duration.ZERO);

            assertThat(registry.getMeters()).as("every meter of the closed mirror, the integration's and the"
                    + " comparison's included").allSatisfy(meter -> assertThat(meter.getId().getTag("mirror"))
                            .isEqualTo("reviews"));
            assertThat(registry.find("mirror.requests").tag("mirror", "reviews").counters()).hasSize(Reason.values().length);
        } finally {
            orders.close(Duration.ZERO);
            reviews.close(Duration.ZERO);
        }
    }

    @Test
    void shouldRefuseASecondMirrorOfTheSameNameInOneRegistryUntilTheFirstIsClosed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mirror first = Mirror.builder().target("http://a").meterRegistry(registry).sink(new RecordingSink()).build();
        try {
            assertThatThrownBy(() -> Mirror.builder().target("http://b").meterRegistry(registry).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another mirror named 'default' has its meters in this registry");
        } finally {
            first.close(Duration.ZERO);
        }
        Mirror again = Mirror.builder().target("http://b").meterRegistry(registry).sink(new RecordingSink()).build();
        again.close(Duration.ZERO);
        assertThatThrownBy(() -> Mirror.builder().name(" ")).hasMessageContaining("name must not be blank");
    }

    @Test
    void shouldGiveEveryReasonTheOutcomeItBelongsTo() {
        assertThat(Reason.NONE.outcome()).isEqualTo(Outcome.COMPLETED);
        for (Reason reason : new Reason[] {Reason.QUEUE_FULL, Reason.MEMORY_BUDGET, Reason.SHUTDOWN}) {
            assertThat(reason.outcome()).as(reason.tag()).isEqualTo(Outcome.DROPPED);
        }
        for (Reason reason : new Reason[] {Reason.TIMEOUT, Reason.CONNECT, Reason.TLS, Reason.IO, Reason.ERROR}) {
            assertThat(reason.outcome()).as(reason.tag()).isEqualTo(Outcome.FAILED);
        }
        assertThat(Reason.CIRCUIT_OPEN.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(Reason.INVALID_REQUEST.outcome()).isEqualTo(Outcome.SKIPPED);
    }

    @Test
    void shouldClassifyEachFailureUnderItsReason() {
        Map<Throwable, Reason> expected = Map.ofEntries(
                Map.entry(new ConnectException("Failed to connect to /127.0.0.1:1"), Reason.CONNECT),
                Map.entry(new UnknownHostException("shadow.invalid"), Reason.CONNECT),
                Map.entry(new NoRouteToHostException("No route to host"), Reason.CONNECT),
                Map.entry(new SocketTimeoutException("Connect timed out"), Reason.CONNECT),
                Map.entry(new SocketTimeoutException("timeout"), Reason.TIMEOUT),
                Map.entry(new SocketTimeoutException("Read timed out"), Reason.TIMEOUT),
                Map.entry(new InterruptedIOException("timeout"), Reason.TIMEOUT),
                Map.entry(new SSLHandshakeException("PKIX path building failed"), Reason.TLS),
                Map.entry(new SSLPeerUnverifiedException("Hostname not verified"), Reason.TLS),
                Map.entry(new SocketException("Connection reset"), Reason.IO),
                Map.entry(new SocketException("Broken pipe"), Reason.IO),
                Map.entry(new ProtocolException("unexpected end of stream"), Reason.IO),
                Map.entry(new EOFException("\\n not found: limit=0"), Reason.IO),
                Map.entry(new IOException("Canceled"), Reason.IO),
                Map.entry(new IllegalArgumentException("method GET must not have a request body."), Reason.INVALID_REQUEST),
                Map.entry(new IllegalStateException("bug"), Reason.ERROR),
                Map.entry(new NoClassDefFoundError("kotlin/enums/EnumEntriesKt"), Reason.ERROR));

        expected.forEach((failure, reason) -> assertThat(TargetLane.classify(failure)).as(failure.toString()).isEqualTo(reason));
    }
}
