package dev.trafficmirror.core;

import static dev.trafficmirror.core.Meters.soon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shadow that never answers must not make the mirror hold more than its bounds, nor make a
 * request wait: everything over a bound is dropped and counted at once.
 */
class BoundsTest {

    private static final String TARGET = "hole";
    private static final int BODY = 64 << 10;
    private static final Duration NEVER = Duration.ofSeconds(60);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final byte[] body = new byte[BODY];
    private BlackHole blackHole;
    private Mirror mirror;

    @BeforeEach
    void start() throws Exception {
        new Random(7).nextBytes(body);
        blackHole = new BlackHole();
    }

    @AfterEach
    void stop() throws Exception {
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
        blackHole.close();
    }

    private MirrorRequest request(int i) {
        return MirrorRequest.builder("POST", "/upload/" + i).header("Content-Type", "application/octet-stream")
                .body(body).build();
    }

    // From the mirror's own counts: a closed mirror has removed its meters from the registry.
    private double count(Reason reason) {
        return Meters.counted(mirror, TARGET, reason);
    }

    private double total() {
        return Meters.counted(mirror, TARGET);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private void submit(int requests) {
        // A mirror that waited for anything would wait for the black hole: 60 s per copy.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < requests; i++) {
                mirror.submit(request(i));
            }
        });
    }

    @Test
    void shouldNeverBufferMoreThanTheByteBudgetAndDropTheRestAtOnce() {
        long budget = 4L << 20;
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, blackHole.url())).maxBufferedBytes(budget)
                .timeout(NEVER).meterRegistry(registry).build();
        int requests = 20_000;
        int fit = (int) (budget / BODY);

        submit(requests);

        assertThat(mirror.inFlight().peakBufferedBytes()).isLessThanOrEqualTo(budget).isEqualTo(fit * (long) BODY);
        assertThat(count(Reason.MEMORY_BUDGET)).isEqualTo(requests - fit);
        assertThat(gauge("mirror.inflight")).isEqualTo(fit);
        assertThat(gauge("mirror.buffered")).isEqualTo(fit * (double) BODY);
        soon().untilAsserted(() -> assertThat(blackHole.accepted()).isEqualTo(16));

        mirror.close(Duration.ZERO);

        assertThat(count(Reason.SHUTDOWN)).isEqualTo(fit);
        assertThat(total()).isEqualTo(requests);
        // What the gauges showed until close() removed them.
        assertThat(mirror.inFlight().copies()).isZero();
        assertThat(mirror.inFlight().bufferedBytes()).isZero();
        assertThat(registry.find("mirror.inflight").gauges()).as("removed by close()").isEmpty();
        assertThat(mirror.connectionCount()).isZero();
    }

    @Test
    void shouldDropWhenEverySenderIsBusyAndTheQueueIsFull() {
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, blackHole.url())).maxConcurrent(4).queueCapacity(100)
                .maxBufferedBytes(1L << 30).timeout(NEVER).meterRegistry(registry).build();
        int requests = 5_000;

        submit(requests);

        assertThat(count(Reason.QUEUE_FULL)).isEqualTo(requests - 104);
        assertThat(gauge("mirror.inflight")).isEqualTo(104);
        assertThat(gauge("mirror.buffered")).isEqualTo(104.0 * BODY);
        mirror.close(Duration.ZERO);
        assertThat(count(Reason.SHUTDOWN)).isEqualTo(104);
        assertThat(total()).isEqualTo(requests);
    }

    @Test
    void shouldDropWithoutQueueingWhenTheQueueCapacityIsZero() {
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, blackHole.url())).maxConcurrent(2).queueCapacity(0)
                .timeout(NEVER).meterRegistry(registry).build();

        submit(1_000);

        assertThat(count(Reason.QUEUE_FULL)).isEqualTo(998);
        assertThat(gauge("mirror.inflight")).isEqualTo(2);
    }

    @Test
    void shouldCountASharedBodyOnceForAllItsTargets() {
        long budget = 10L * BODY;
        BlackHole second = blackHole;
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, blackHole.url()))
                .target(MirrorTarget.of("second", second.url())).maxBufferedBytes(budget)
                .timeout(NEVER).meterRegistry(registry).build();

        submit(100);

        assertThat(mirror.inFlight().peakBufferedBytes()).isEqualTo(budget);
        assertThat(gauge("mirror.inflight")).as("two copies per body").isEqualTo(20);
        assertThat(count(Reason.MEMORY_BUDGET)).isEqualTo(90);
        assertThat(Meters.count(registry, "second", Reason.MEMORY_BUDGET)).isEqualTo(90);
    }
}
