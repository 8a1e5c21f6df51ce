package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whatever a sink throws stays on the mirror's threads, is counted, and does not stop the mirror. */
class ContainmentTest {

    private static final String TARGET = "shadow";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Mirror mirror;

    @AfterEach
    void stop() {
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
    }

    @Test
    void shouldCountEverythingASinkThrowsAndKeepSending() {
        List<Supplier<Throwable>> hostile = List.of(
                () -> new IllegalStateException("bug in a sink"),
                () -> new NullPointerException(),
                () -> new NoClassDefFoundError("kotlin/enums/EnumEntriesKt"),
                () -> new AssertionError("unexpected"),
                () -> new StackOverflowError());
        int[] next = {0};
        ScriptedSink sink = new ScriptedSink((target, request) -> {
            Throwable thrown;
            synchronized (next) {
                thrown = hostile.get(next[0]++ % hostile.size()).get();
            }
            if (thrown instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) thrown;
        });
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, "http://shadow")).maxConcurrent(1).noCircuitBreaker()
                .meterRegistry(registry).sink(sink).build();

        assertThatCode(() -> {
            for (int i = 0; i < 50; i++) {
                mirror.submit(MirrorRequest.builder("GET", "/").build());
            }
        }).doesNotThrowAnyException();

        await().untilAsserted(() -> assertThat(Meters.count(registry, TARGET, Reason.ERROR)).isEqualTo(50));
        sink.become(ScriptedSink::ok);
        mirror.submit(MirrorRequest.builder("GET", "/").build());
        await().untilAsserted(() -> assertThat(Meters.count(registry, TARGET, Reason.NONE)).isEqualTo(1));
    }
}
