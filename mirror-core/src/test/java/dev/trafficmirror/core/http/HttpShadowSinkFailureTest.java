package dev.trafficmirror.core.http;

import static dev.trafficmirror.core.Meters.soon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.BlackHole;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the HTTP sink gives up: on a runaway answer, and on close while calls are still waiting. */
class HttpShadowSinkFailureTest {

    private final MockWebServer shadow = new MockWebServer();
    private final HttpShadowSink sink = new HttpShadowSink(Duration.ofSeconds(1), Duration.ofSeconds(30), 4, 1024);

    @AfterEach
    void stop() {
        sink.close();
        shadow.close();
    }

    private static MirrorRequest request() {
        return MirrorRequest.builder("GET", "/big").build();
    }

    @Test
    void shouldGiveUpTheConnectionRatherThanReadARunawayAnswer() throws Exception {
        shadow.start(0);
        Buffer tenMegabytes = new Buffer().write(new byte[10 << 20]);
        shadow.enqueue(new MockResponse.Builder().code(200).body(tenMegabytes).build());
        shadow.enqueue(new MockResponse.Builder().code(200).body("small").build());
        shadow.enqueue(new MockResponse.Builder().code(200).body("small").build());
        MirrorTarget target = MirrorTarget.of("t", shadow.url("/").toString());

        ShadowResponse big = sink.send(target, request());

        assertThat(big.truncated()).isTrue();
        assertThat(big.body()).hasSize(1024);
        assertThat(sink.connectionCount()).as("the connection was closed, not drained for reuse").isZero();
        sink.send(target, request());
        sink.send(target, request());
        assertThat(shadow.takeRequest().getConnectionIndex()).isEqualTo(0);
        assertThat(shadow.takeRequest().getConnectionIndex()).isEqualTo(1);
        assertThat(shadow.takeRequest().getConnectionIndex()).as("a complete answer keeps its connection").isEqualTo(1);
    }

    @Test
    void shouldCancelCallsStillWaitingWhenClosed() throws Exception {
        try (BlackHole blackHole = new BlackHole()) {
            MirrorTarget target = MirrorTarget.of("hole", blackHole.url());
            CompletableFuture<ShadowResponse> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return sink.send(target, request());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            soon().until(() -> blackHole.accepted() == 1);

            sink.close();

            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(IOException.class);
            // A cancelled call gives its connection back after close() evicted the idle ones.
            soon().untilAsserted(() -> assertThat(sink.connectionCount()).isZero());
            assertThatThrownBy(() -> sink.send(target, request())).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed");
        }
    }
}
