package dev.trafficmirror.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.ShadowResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a user's test sees through the sink: every copy as it would go on the wire, and its answer. */
class RecordingSinkTest {

    private Mirror mirror;

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
    }

    private static MirrorRequest post(String path) {
        return MirrorRequest.builder("POST", path).header("Content-Type", "text/plain")
                .body("hello".getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void shouldRecordEachCopyWithItsTargetInArrivalOrder() throws Exception {
        RecordingSink recorded = new RecordingSink();
        mirror = Mirror.builder().target("http://v2:9080").maxConcurrent(1).sink(recorded).build();

        mirror.submit(post("/first"));
        mirror.submit(post("/second"));

        List<RecordingSink.Recorded> copies = recorded.await(2, Duration.ofSeconds(5));
        assertThat(copies).extracting(copy -> copy.request().path()).containsExactly("/first", "/second");
        assertThat(copies).allSatisfy(copy -> {
            assertThat(copy.target().name()).isEqualTo("v2:9080");
            assertThat(copy.request().header("X-Mirror-Id")).isNotBlank();
            assertThat(new String(copy.request().bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        });
        assertThat(recorded.recorded()).isEqualTo(copies);
    }

    @Test
    void shouldAnswerAsToldAndForgetWhenCleared() throws Exception {
        RecordingSink recorded = new RecordingSink(request -> ShadowResponse.of(503));
        mirror = Mirror.builder().target("http://v2").sink(recorded).build();

        mirror.submit(post("/a"));
        recorded.await(1, Duration.ofSeconds(5));
        recorded.clear();

        assertThat(recorded.recorded()).isEmpty();
        // A 503 is an answer: the copy is completed, whatever the status.
        await().untilAsserted(() -> assertThat(mirror.stats().get(0).count(Reason.NONE)).isEqualTo(1));
    }

    @Test
    void shouldSayWhatArrivedWhenFewerCopiesThanAwaitedCameInTime() {
        RecordingSink recorded = new RecordingSink();
        mirror = Mirror.builder().target("http://v2").sink(recorded).build();

        mirror.submit(post("/only"));

        assertThatThrownBy(() -> recorded.await(2, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 2 mirrored requests")
                .hasMessageContaining("but got 1")
                .hasMessageContaining("/only");
    }
}
