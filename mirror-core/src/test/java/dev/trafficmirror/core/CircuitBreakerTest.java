package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.trafficmirror.core.Meters.soon;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final String TARGET = "shadow";
    private static final Duration LONG = Duration.ofHours(1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private Mirror mirror;

    @AfterEach
    void close() {
        release.countDown();
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
    }

    private void start(ScriptedSink sink, UnaryOperator<Mirror.Builder> settings) {
        mirror = settings.apply(Mirror.builder().target(MirrorTarget.of(TARGET, "http://shadow"))
                .maxConcurrent(1).meterRegistry(registry).sink(sink)).build();
    }

    private static MirrorRequest request() {
        return MirrorRequest.builder("POST", "/orders").body(new byte[] {1, 2, 3}).build();
    }

    private double count(Reason reason) {
        return Meters.count(registry, TARGET, reason);
    }

    private double total() {
        return Meters.total(registry, TARGET);
    }

    /** Mirrors one request and waits until its copy is counted, so that copies happen one by one. */
    private void mirrorOne() {
        double before = total();
        mirror.submit(request());
        soon().until(() -> total() == before + 1);
    }

    private void mirror(int requests) {
        for (int i = 0; i < requests; i++) {
            mirrorOne();
        }
    }

    @Test
    void shouldPauseTheTargetAfterConsecutiveFailuresWithoutSendingAnything() {
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        start(sink, b -> b.circuitBreaker(3, LONG));

        mirror(3);
        assertThat(count(Reason.CONNECT)).isEqualTo(3);

        mirror(50);

        assertThat(count(Reason.CIRCUIT_OPEN)).isEqualTo(50);
        assertThat(sink.calls()).isEqualTo(3);
    }

    @Test
    void shouldStartCountingAgainAfterAnAnswer() {
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        start(sink, b -> b.circuitBreaker(3, LONG));

        mirror(2);
        sink.become(ScriptedSink::ok);
        mirror(1);
        sink.become(ScriptedSink::refused);
        mirror(2);
        assertThat(sink.calls()).as("two failures since the answer: still closed").isEqualTo(5);
        mirror(1);
        mirror(1);

        assertThat(count(Reason.CONNECT)).isEqualTo(5);
        assertThat(count(Reason.NONE)).isEqualTo(1);
        assertThat(count(Reason.CIRCUIT_OPEN)).as("the third consecutive failure opened it").isEqualTo(1);
    }

    @Test
    void shouldNotCountServerErrorsAsFailures() {
        ScriptedSink sink = new ScriptedSink((target, request) -> ShadowResponse.of(503));
        start(sink, b -> b.circuitBreaker(3, LONG));

        mirror(30);

        assertThat(count(Reason.NONE)).isEqualTo(30);
        assertThat(count(Reason.CIRCUIT_OPEN)).isZero();
        assertThat(registry.get(TargetMeters.DURATION).tag("status", "5xx").timer().count()).isEqualTo(30);
    }

    @Test
    void shouldNotCountRequestsItCannotReplayAsTheTargetsFailures() {
        ScriptedSink sink = new ScriptedSink((target, request) -> {
            throw new IllegalArgumentException("method GET must not have a request body.");
        });
        start(sink, b -> b.circuitBreaker(3, LONG));

        mirror(10);

        assertThat(count(Reason.INVALID_REQUEST)).isEqualTo(10);
        assertThat(count(Reason.CIRCUIT_OPEN)).isZero();
    }

    @Test
    void shouldProbeOnceAfterTheCoolDownAndResumeWhenTheProbeIsAnswered() {
        Duration coolDown = Duration.ofMillis(300);
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        start(sink, b -> b.circuitBreaker(2, coolDown));
        mirror(2);
        sink.become(ScriptedSink::ok);

        // Each poll mirrors one more request: skipped while cooling down, then the probe goes through.
        soon().pollInterval(Duration.ofMillis(20)).until(() -> {
            mirrorOne();
            return count(Reason.NONE) == 1;
        });

        // Timed by the sink, not by this thread, which a busy machine may wake late.
        assertThat(Duration.ofNanos(sink.calledAt(3) - sink.calledAt(2))).as("opened by the second failure")
                .isGreaterThanOrEqualTo(coolDown);
        assertThat(count(Reason.CIRCUIT_OPEN)).isPositive();
        assertThat(sink.calls()).isEqualTo(3);
        mirror(20);
        assertThat(count(Reason.NONE)).as("closed again: everything is sent").isEqualTo(21);
    }

    @Test
    void shouldPauseAgainForAWholeCoolDownWhenTheProbeFails() {
        Duration coolDown = Duration.ofMillis(300);
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        start(sink, b -> b.circuitBreaker(2, coolDown));
        mirror(2);

        soon().pollInterval(Duration.ofMillis(20)).until(() -> {
            mirrorOne();
            return sink.calls() == 3;
        });
        double skippedBefore = count(Reason.CIRCUIT_OPEN);
        mirror(5);

        assertThat(count(Reason.CIRCUIT_OPEN)).isEqualTo(skippedBefore + 5);
        assertThat(sink.calls()).as("the failed probe opened it again at once").isEqualTo(3);
        soon().pollInterval(Duration.ofMillis(20)).until(() -> {
            mirrorOne();
            return sink.calls() == 4;
        });
        assertThat(Duration.ofNanos(sink.calledAt(4) - sink.calledAt(3))).as("opened again by the failed probe")
                .isGreaterThanOrEqualTo(coolDown);
        assertThat(count(Reason.CONNECT)).isEqualTo(4);
    }

    @Test
    void shouldSendOnlyOneProbeAtATime() throws Exception {
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        start(sink, b -> b.circuitBreaker(2, Duration.ofMillis(200)).maxConcurrent(4));
        mirror(2);
        CountDownLatch probing = new CountDownLatch(1);
        sink.become((target, request) -> {
            probing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ShadowResponse.of(200);
        });
        soon().pollInterval(Duration.ofMillis(20)).until(() -> {
            mirror.submit(request());
            return probing.getCount() == 0;
        });
        double skippedBefore = count(Reason.CIRCUIT_OPEN);

        for (int i = 0; i < 10; i++) {
            mirror.submit(request());
        }

        assertThat(count(Reason.CIRCUIT_OPEN)).isEqualTo(skippedBefore + 10);
        assertThat(sink.calls()).isEqualTo(3);
        release.countDown();
        soon().until(() -> count(Reason.NONE) == 1);
        mirror(3);
        assertThat(count(Reason.NONE)).isEqualTo(4);
    }

    @Test
    void shouldSkipCopiesThatWereQueuedBeforeTheTargetWasPaused() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        ScriptedSink sink = new ScriptedSink((target, request) -> {
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new java.net.SocketTimeoutException("timeout");
        });
        start(sink, b -> b.circuitBreaker(2, LONG).queueCapacity(10));
        for (int i = 0; i < 8; i++) {
            mirror.submit(request());
        }
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

        release.countDown();

        soon().until(() -> total() == 8);
        assertThat(count(Reason.TIMEOUT)).isEqualTo(2);
        assertThat(count(Reason.CIRCUIT_OPEN)).isEqualTo(6);
        assertThat(sink.calls()).isEqualTo(2);
    }

    @Test
    void shouldKeepEachTargetsBreakerToItself() {
        ScriptedSink sink = new ScriptedSink((target, request) -> {
            if (target.name().equals("dead")) {
                throw new java.net.ConnectException("refused");
            }
            return ShadowResponse.of(200);
        });
        mirror = Mirror.builder().target(MirrorTarget.of("dead", "http://dead")).target(MirrorTarget.of("alive", "http://alive"))
                .circuitBreaker(3, LONG).maxConcurrent(1).meterRegistry(registry).sink(sink).build();

        for (int i = 0; i < 40; i++) {
            mirror.submit(request());
            int sent = i + 1;
            soon().until(() -> Meters.count(registry, "alive", Reason.NONE) == sent
                    && Meters.count(registry, "dead", Reason.CONNECT) + Meters.count(registry, "dead", Reason.CIRCUIT_OPEN) == sent);
        }

        assertThat(Meters.count(registry, "alive", Reason.NONE)).isEqualTo(40);
        assertThat(Meters.count(registry, "dead", Reason.CONNECT)).isEqualTo(3);
        assertThat(Meters.count(registry, "dead", Reason.CIRCUIT_OPEN)).isEqualTo(37);
    }

    @Test
    void shouldTryEveryCopyWhenTurnedOff() {
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        start(sink, Mirror.Builder::noCircuitBreaker);

        mirror(40);

        assertThat(count(Reason.CONNECT)).isEqualTo(40);
        assertThat(count(Reason.CIRCUIT_OPEN)).isZero();
    }

    @Test
    void shouldBeOnByDefault() {
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        start(sink, b -> b);

        mirror(30);

        assertThat(count(Reason.CONNECT)).isEqualTo(10);
        assertThat(count(Reason.CIRCUIT_OPEN)).isEqualTo(20);
    }

    @Test
    void shouldRejectBadSettingsNamingThem() {
        assertThatThrownBy(() -> Mirror.builder().circuitBreaker(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("circuitBreaker failures")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Mirror.builder().circuitBreaker(5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("circuitBreaker coolDown")
                .hasMessageContaining("positive");
    }
}
