package dev.trafficmirror.core;

import static dev.trafficmirror.core.Meters.soon;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.integration.PendingMirror;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Room an integration reserves for a body while it reads it counts against the byte budget with
 * the copies waiting to be sent: granted while the budget lasts, given back on skip, kept for the
 * body on send.
 */
class BodyReservationTest {

    private static final String TARGET = "shadow";
    private static final long BUDGET = 1000;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch answer = new CountDownLatch(1);
    private final Mirror mirror = Mirror.builder().target(MirrorTarget.of(TARGET, "http://127.0.0.1:9"))
            .maxBufferedBytes(BUDGET).meterRegistry(registry)
            .sink((target, request) -> {
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ShadowResponse.of(200);
            }).build();

    @AfterEach
    void stop() {
        answer.countDown();
        mirror.close(Duration.ofSeconds(5));
    }

    private PendingMirror begin() {
        return mirror.integration().begin(MirrorRequest.builder("POST", "/upload").build());
    }

    private long buffered() {
        return mirror.inFlight().bufferedBytes();
    }

    @Test
    void shouldGrantRoomWhileTheBudgetLastsAndGiveItBackOnSkip() {
        PendingMirror first = begin();
        PendingMirror second = begin();

        assertThat(first.reserveBody(600)).isTrue();
        assertThat(second.reserveBody(600)).isFalse();
        assertThat(second.reserveBody(400)).isTrue();
        assertThat(buffered()).isEqualTo(BUDGET);
        assertThat(second.reserveBody(1)).isFalse();

        first.releaseBody(100);
        assertThat(buffered()).isEqualTo(900);
        first.skip(Reason.MEMORY_BUDGET);
        assertThat(buffered()).isEqualTo(400);
        first.releaseBody(500);
        assertThat(buffered()).as("a release after the skip").isEqualTo(400);
        assertThat(first.reserveBody(1)).as("room for a skipped request").isFalse();
        second.skip(Reason.BODY_TOO_LARGE);
        assertThat(buffered()).isZero();
        soon().untilAsserted(() -> assertThat(Meters.count(registry, TARGET, Reason.MEMORY_BUDGET)).isEqualTo(1.0));
    }

    @Test
    void shouldKeepWhatTheBodyNeedsOnSendAndGiveItBackWhenTheCopyIsDone() {
        PendingMirror pending = begin();
        assertThat(pending.reserveBody(800)).isTrue();

        pending.send(new byte[300], 200);

        assertThat(buffered()).as("the body's own length, held until its copy is sent").isEqualTo(300);
        pending.releaseBody(800);
        assertThat(buffered()).isEqualTo(300);
        answer.countDown();
        soon().untilAsserted(() -> assertThat(buffered()).isZero());
        soon().untilAsserted(() -> assertThat(Meters.count(registry, TARGET, Reason.NONE)).isEqualTo(1.0));
    }

    @Test
    void shouldDropACopyWhoseBodyOutgrewItsRoomWhenTheBudgetIsSpent() {
        PendingMirror reading = begin();
        PendingMirror grown = begin();
        assertThat(reading.reserveBody(700)).isTrue();
        assertThat(grown.reserveBody(100)).isTrue();

        grown.send(new byte[400], 200);

        assertThat(buffered()).isEqualTo(700);
        soon().untilAsserted(() -> assertThat(Meters.count(registry, TARGET, Reason.MEMORY_BUDGET)).isEqualTo(1.0));
    }
}
