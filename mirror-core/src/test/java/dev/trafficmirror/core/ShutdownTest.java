package dev.trafficmirror.core;

import static dev.trafficmirror.core.Meters.soon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Mirror#close}: stop taking copies, drain up to a deadline, cancel the rest, leave no thread. */
class ShutdownTest {

    private static final String TARGET = "shadow";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private Mirror mirror;

    @AfterEach
    void stop() {
        release.countDown();
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
    }

    private static MirrorRequest request() {
        return MirrorRequest.builder("PUT", "/items/1").body(new byte[] {4, 2}).build();
    }

    // From the mirror's own counts: a closed mirror has removed its meters from the registry.
    private double count(Reason reason) {
        return Meters.counted(mirror, TARGET, reason);
    }

    private double total() {
        return Meters.counted(mirror, TARGET);
    }

    private ScriptedSink heldUntilReleased(CountDownLatch arrived) {
        return new ScriptedSink((target, request) -> {
            arrived.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ShadowResponse.of(200);
        });
    }

    @Test
    void shouldSendQueuedCopiesTooWhenTheyFinishBeforeTheDeadline() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, "http://shadow")).maxConcurrent(1).queueCapacity(10)
                .meterRegistry(registry).sink(heldUntilReleased(arrived)).build();
        for (int i = 0; i < 5; i++) {
            mirror.submit(request());
        }
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.get("mirror.inflight").gauge().value()).as("one sending, four queued").isEqualTo(5);

        Thread closer = new Thread(() -> mirror.close(Duration.ofSeconds(20)), "closer");
        closer.start();
        soon().until(() -> !mirror.isEnabled());
        mirror.submit(request());
        release.countDown();
        closer.join(30_000);

        assertThat(closer.isAlive()).isFalse();
        assertThat(count(Reason.NONE)).isEqualTo(5);
        assertThat(count(Reason.SHUTDOWN)).as("submitted while closing").isEqualTo(1);
        assertThat(total()).isEqualTo(6);
    }

    @Test
    void shouldCancelSendingAndQueuedCopiesAtTheDeadlineAndCloseTheirConnections() throws Exception {
        try (BlackHole blackHole = new BlackHole()) {
            Set<Thread> before = Threads.live();
            mirror = Mirror.builder().target(MirrorTarget.of(TARGET, blackHole.url())).maxConcurrent(2).queueCapacity(10)
                    .timeout(Duration.ofSeconds(60)).meterRegistry(registry).build();
            for (int i = 0; i < 8; i++) {
                mirror.submit(request());
            }
            soon().until(() -> blackHole.accepted() == 2);

            long start = System.nanoTime();
            mirror.close(Duration.ofMillis(200));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("the copies' own timeout is 60 s").isLessThan(Duration.ofSeconds(5));
            assertThat(count(Reason.SHUTDOWN)).isEqualTo(8);
            assertThat(total()).isEqualTo(8);
            assertThat(mirror.inFlight().copies()).isZero();
            assertThat(mirror.inFlight().bufferedBytes()).isZero();
            assertThat(mirror.connectionCount()).isZero();
            soon().pollInSameThread().untilAsserted(() -> assertThat(Threads.startedSince(before)).isEmpty());
        }
    }

    @Test
    void shouldCountEveryRequestExactlyOnceWhenClosedWhileRequestsKeepComing() throws Exception {
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, "http://shadow")).maxConcurrent(4).queueCapacity(50)
                .meterRegistry(registry).sink(new ScriptedSink(ScriptedSink::ok)).build();
        int threads = 4;
        int afterClose = 1_000;
        AtomicInteger submitted = new AtomicInteger();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        List<Thread> submitters = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread submitter = new Thread(() -> {
                // Keeps going through close() and a little beyond, bounded by count.
                int left = afterClose;
                for (int i = 0; i < 1_000_000 && left > 0; i++) {
                    boolean closed = !mirror.isEnabled();
                    try {
                        mirror.submit(request());
                    } catch (Throwable e) {
                        thrown.add(e);
                    }
                    submitted.incrementAndGet();
                    if (closed) {
                        left--;
                    }
                }
            }, "submitter-" + t);
            submitters.add(submitter);
            submitter.start();
        }
        soon().until(() -> submitted.get() >= 5_000);

        mirror.close(Duration.ofSeconds(5));
        for (Thread submitter : submitters) {
            submitter.join(30_000);
        }

        assertThat(thrown).isEmpty();
        assertThat(total()).isEqualTo(submitted.get());
        assertThat(count(Reason.SHUTDOWN)).isGreaterThanOrEqualTo(threads * afterClose);
        assertThat(count(Reason.NONE)).isPositive();
        assertThat(mirror.inFlight().copies()).isZero();
    }

    @Test
    void shouldLeaveNoThreadBehindAfterTheBreakerOpenedAndProbed() throws Exception {
        Set<Thread> before = Threads.live();
        ScriptedSink sink = new ScriptedSink(ScriptedSink::refused);
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, "http://shadow")).maxConcurrent(1)
                .circuitBreaker(2, Duration.ofMillis(100)).meterRegistry(registry).sink(sink).build();
        for (int i = 0; i < 2; i++) {
            mirror.submit(request());
            int sent = i + 1;
            soon().pollInSameThread().until(() -> count(Reason.CONNECT) == sent);
        }
        mirror.submit(request());
        assertThat(count(Reason.CIRCUIT_OPEN)).isEqualTo(1);
        soon().pollInSameThread().pollInterval(Duration.ofMillis(20)).until(() -> {
            mirror.submit(request());
            return sink.calls() == 3;
        });

        mirror.close(Duration.ofSeconds(1));

        soon().pollInSameThread().untilAsserted(() -> assertThat(Threads.startedSince(before)).isEmpty());
    }

    @Test
    void shouldStartNoThreadWhenAMirrorFailsToBuild() {
        Set<Thread> before = Threads.live();

        assertThatThrownBy(() -> Mirror.builder().target(MirrorTarget.of(TARGET, "http://127.0.0.1:9"))
                .sampling(() -> null).meterRegistry(registry).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sampling");

        assertThat(Threads.startedSince(before)).as("no trafficmirror-io thread left running").isEmpty();
    }
}
