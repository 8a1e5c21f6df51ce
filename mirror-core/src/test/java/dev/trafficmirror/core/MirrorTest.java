package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.test.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MirrorTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink recorded = new RecordingSink();
    private Mirror mirror;

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
    }

    private static MirrorRequest post(String body) {
        return MirrorRequest.builder("POST", "/orders")
                .query("a=1&b=%20")
                .header("Host", "shop.example")
                .header("Content-Type", "application/json")
                .header("Connection", "keep-alive, X-Hop")
                .header("X-Hop", "secret")
                .header("Transfer-Encoding", "chunked")
                .remoteAddress("10.1.2.3")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void shouldSendTheCopyWithEndToEndHeadersAndTheMirrorId() throws Exception {
        mirror = Mirror.builder().target("http://shadow:9080").meterRegistry(registry).sink(recorded).build();

        mirror.submit(post("{\"id\":1}"));

        MirrorRequest copy = recorded.await(1, Duration.ofSeconds(5)).get(0).request();
        assertThat(copy.method()).isEqualTo("POST");
        assertThat(copy.path()).isEqualTo("/orders");
        assertThat(copy.query()).isEqualTo("a=1&b=%20");
        assertThat(new String(copy.bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
        assertThat(copy.headers()).extracting(Map.Entry::getKey)
                .doesNotContain("Connection", "X-Hop", "Transfer-Encoding", "Host")
                .contains("Content-Type", "X-Mirror-Id", "X-Forwarded-Host", "X-Forwarded-For", "X-Forwarded-Proto");
        assertThat(copy.header("X-Forwarded-Host")).isEqualTo("shop.example");
        assertThat(copy.header("X-Forwarded-For")).isEqualTo("10.1.2.3");
        assertThat(copy.header("X-Mirror-Id")).matches("[0-9a-f]{32}");
        await().untilAsserted(() -> assertThat(Meters.count(registry, "shadow:9080", Reason.NONE)).isEqualTo(1));
    }

    @Test
    void shouldUseTheIncomingRequestIdAsMirrorIdAndAppendToForwardedFor() throws Exception {
        mirror = Mirror.builder().target("http://shadow").meterRegistry(registry).sink(recorded).build();

        mirror.submit(MirrorRequest.builder("GET", "/").header("X-Request-Id", "abc-123")
                .header("X-Forwarded-For", "1.1.1.1").remoteAddress("10.0.0.1").build());

        MirrorRequest copy = recorded.await(1, Duration.ofSeconds(5)).get(0).request();
        assertThat(copy.header("X-Mirror-Id")).isEqualTo("abc-123");
        assertThat(copy.header("X-Forwarded-For")).isEqualTo("1.1.1.1, 10.0.0.1");
    }

    @Test
    void shouldNeverMirrorAMirror() {
        mirror = Mirror.builder().target("http://shadow").meterRegistry(registry).sink(recorded).build();

        assertThat(mirror.integration().begin(MirrorRequest.builder("GET", "/").header("x-mirror-id", "1").build())).isNull();

        assertThat(Meters.count(registry, "shadow", Reason.LOOP)).isEqualTo(1);
        assertThat(recorded.recorded()).isEmpty();
    }

    @Test
    void shouldMirrorNothingAtZeroPercentAndEverythingAtHundred() throws Exception {
        mirror = Mirror.builder()
                .target(MirrorTarget.of("all", "http://a"))
                .target(MirrorTarget.of("none", "http://b").percentage(0))
                .meterRegistry(registry).sink(recorded).build();

        for (int i = 0; i < 50; i++) {
            mirror.submit(post("x"));
        }

        assertThat(recorded.await(50, Duration.ofSeconds(5))).hasSize(50)
                .allSatisfy(r -> assertThat(r.target().name()).isEqualTo("all"));
        assertThat(Meters.count(registry, "none", Reason.SAMPLED_OUT)).isEqualTo(50);
    }

    @Test
    void shouldSkipBodiesOverTheCap() {
        mirror = Mirror.builder().target("http://shadow").maxBodySize(3).meterRegistry(registry).sink(recorded).build();

        mirror.submit(post("four"));

        assertThat(Meters.count(registry, "shadow", Reason.BODY_TOO_LARGE)).isEqualTo(1);
        assertThat(recorded.recorded()).isEmpty();
    }

    @Test
    void shouldDropWhenTheMemoryBudgetIsFullAndReleaseItAfterwards() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink held = new RecordingSink(request -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ShadowResponse.of(200);
        });
        mirror = Mirror.builder().target("http://shadow").maxBufferedBytes(10).meterRegistry(registry).sink(held).build();

        mirror.submit(post("123456"));
        held.await(1, Duration.ofSeconds(5));
        mirror.submit(post("123456"));

        assertThat(Meters.count(registry, "shadow", Reason.MEMORY_BUDGET)).isEqualTo(1);
        assertThat(registry.get("mirror.buffered").gauge().value()).isEqualTo(6);
        release.countDown();
        await().untilAsserted(() -> assertThat(registry.get("mirror.buffered").gauge().value()).isZero());
        mirror.submit(post("123456"));
        held.await(2, Duration.ofSeconds(5));
    }

    @Test
    void shouldCountEveryFailureWithItsReasonAndNeverThrow() {
        mirror = Mirror.builder().target("http://shadow").meterRegistry(registry)
                .sink((target, request) -> {
                    throw new java.net.ConnectException("refused");
                }).build();

        mirror.submit(post("x"));

        await().untilAsserted(() -> assertThat(Meters.count(registry, "shadow", Reason.CONNECT)).isEqualTo(1));
    }

    @Test
    void shouldCountPausedRequestsAsDisabled() {
        mirror = Mirror.builder().target("http://shadow").meterRegistry(registry).sink(recorded).build();
        mirror.setEnabled(false);

        mirror.submit(post("x"));

        assertThat(Meters.count(registry, "shadow", Reason.DISABLED)).isEqualTo(1);
        assertThat(mirror.isEnabled()).isFalse();
    }

    @Test
    void shouldCountRequestsAfterCloseAsShutdown() {
        mirror = Mirror.builder().target("http://shadow").meterRegistry(registry).sink(recorded).build();
        mirror.close();

        mirror.submit(post("x"));

        assertThat(Meters.counted(mirror, "shadow", Reason.SHUTDOWN)).as("closed: its meters are gone").isEqualTo(1);
        assertThat(registry.find("mirror.requests").meters()).isEmpty();
        assertThat(recorded.recorded()).isEmpty();
    }

    @Test
    void shouldChangeATargetsPercentageAtRunTime() {
        mirror = Mirror.builder().target(MirrorTarget.of("a", "http://a")).target(MirrorTarget.of("b", "http://b"))
                .meterRegistry(registry).sink(recorded).build();

        mirror.setPercentage("b", 0);
        mirror.submit(post("x"));

        assertThat(Meters.count(registry, "b", Reason.SAMPLED_OUT)).isEqualTo(1);
        assertThat(mirror.stats()).extracting(TargetStats::percentage).containsExactly(100.0, 0.0);
        assertThatThrownBy(() -> mirror.setPercentage("c", 5)).hasMessageContaining("'c'").hasMessageContaining("'a'");
        assertThatThrownBy(() -> mirror.setPercentage("a", 100.5)).hasMessageContaining("between 0 and 100");
        assertThat(mirror.stats().get(0).percentage()).isEqualTo(100.0);
    }

    @Test
    void shouldReportCountsWithoutAMeterRegistryAndKeepOnlyTheLastFailures() {
        // No meterRegistry: the global registry has no registry added, so only stats() can count.
        // No breaker: twelve failures in a row would otherwise pause the target.
        mirror = Mirror.builder().target("http://shadow").maxConcurrent(1).noCircuitBreaker()
                .sink((target, request) -> {
                    throw new java.net.ConnectException("refused " + request.path());
                }).build();

        for (int i = 0; i < RecentFailures.CAPACITY + 2; i++) {
            mirror.submit(MirrorRequest.builder("PUT", "/orders/" + i).query("secret=1").build());
        }
        mirror.setEnabled(false);
        mirror.submit(post("x"));

        await().untilAsserted(() -> assertThat(mirror.stats().get(0).count(Reason.CONNECT))
                .isEqualTo(RecentFailures.CAPACITY + 2));
        TargetStats stats = mirror.stats().get(0);
        assertThat(stats.target().name()).isEqualTo("shadow");
        assertThat(stats.count(Reason.DISABLED)).isEqualTo(1);
        assertThat(stats.count(Outcome.FAILED)).isEqualTo(RecentFailures.CAPACITY + 2);
        assertThat(stats.count(Outcome.SKIPPED)).isEqualTo(1);
        assertThat(stats.requests()).isEqualTo(RecentFailures.CAPACITY + 3);
        assertThat(stats.counts()).containsOnlyKeys(Reason.values());
        assertThat(stats.recentFailures()).hasSize(RecentFailures.CAPACITY)
                .extracting(MirrorFailure::path).startsWith("/orders/11", "/orders/10").endsWith("/orders/2");
        MirrorFailure newest = stats.recentFailures().get(0);
        assertThat(newest.reason()).isEqualTo(Reason.CONNECT);
        assertThat(newest.method()).isEqualTo("PUT");
        assertThat(newest.mirrorId()).matches("[0-9a-f]{32}");
        assertThat(newest.detail()).isEqualTo("java.net.ConnectException: refused /orders/11");
    }

    @Test
    void shouldRejectBadSettingsNamingThem() {
        assertThatThrownBy(() -> Mirror.builder().build()).hasMessageContaining("at least one target");
        assertThatThrownBy(() -> Mirror.builder().percentage(150)).hasMessageContaining("percentage")
                .hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> Mirror.builder().maxConcurrent(0)).hasMessageContaining("maxConcurrent");
        assertThatThrownBy(() -> Mirror.builder().queueCapacity(-1)).hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> Mirror.builder().timeout(Duration.ZERO)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> MirrorTarget.of("ftp://x")).hasMessageContaining("http://");
        assertThatThrownBy(() -> MirrorTarget.of("http://x?a=1")).hasMessageContaining("query");
        assertThatThrownBy(() -> Mirror.builder().target(MirrorTarget.of("a", "http://x"))
                .target(MirrorTarget.of("a", "http://y")).build()).hasMessageContaining("'a'");
    }

    @Test
    void shouldNameTargetsAfterHostAndPort() {
        mirror = Mirror.builder().target("http://reviews-v2:9080/").target("https://other").sink(recorded).build();

        assertThat(mirror.targets()).extracting(MirrorTarget::name).containsExactly("reviews-v2:9080", "other");
        assertThat(mirror.targets()).extracting(MirrorTarget::url).containsExactly("http://reviews-v2:9080", "https://other");
        assertThat(List.of(Reason.values())).allSatisfy(reason -> assertThat(reason.tag()).matches("[a-z_]+"));
    }
}
