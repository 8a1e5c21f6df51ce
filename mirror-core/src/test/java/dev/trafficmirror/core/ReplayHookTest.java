package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordedExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code MirrorIntegration.replay}: a recorded copy mirrored again, under its recorded id, not refused as a loop. */
class ReplayHookTest {

    private final List<MirrorRequest> copies = new CopyOnWriteArrayList<>();

    private Mirror mirror() {
        return Mirror.builder().target("http://shadow.invalid:9081").meterRegistry(new SimpleMeterRegistry())
                .sink((target, request) -> {
                    copies.add(request);
                    return ShadowResponse.of(200);
                }).build();
    }

    private static RecordedExchange recorded(String id) {
        MirrorRequest copy = MirrorRequest.builder("POST", "/orders/7").query("a=1")
                .header("Content-Type", "application/json")
                .header(Mirror.MIRROR_ID_HEADER, id)
                .header("X-Forwarded-Host", "shop.example")
                .body("{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
        return new RecordedExchange(id, Instant.now(), copy, PrimaryResponse.builder(201).build(), Redaction.none());
    }

    @Test
    void shouldSendTheRecordedCopyAgainUnderItsRecordedId() {
        try (Mirror mirror = mirror()) {
            mirror.integration().replay(recorded("req-42"));
            await().atMost(Duration.ofSeconds(10)).until(() -> copies.size() == 1);
            MirrorRequest copy = copies.get(0);
            assertThat(copy.method()).isEqualTo("POST");
            assertThat(copy.path()).isEqualTo("/orders/7");
            assertThat(copy.query()).isEqualTo("a=1");
            assertThat(new String(copy.bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            assertThat(copy.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(Mirror.MIRROR_ID_HEADER))
                    .map(Map.Entry::getValue)).containsExactly("req-42");
            assertThat(copy.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("X-Forwarded-Host"))
                    .map(Map.Entry::getValue)).containsExactly("shop.example");
            await().atMost(Duration.ofSeconds(10)).until(() -> mirror.stats().get(0).count(Reason.NONE) == 1);
            assertThat(mirror.stats().get(0).count(Reason.LOOP)).isZero();
        }
    }

    @Test
    void shouldNeverLetARecordedIdSteerTheCopysHeaders() {
        try (Mirror mirror = mirror()) {
            mirror.integration().replay(recorded("req-1\r\nX-Evil: yes"));
            await().atMost(Duration.ofSeconds(10)).until(() -> copies.size() + mirror.stats().get(0)
                    .count(Reason.INVALID_REQUEST) == 1);
            // The recorded header itself is no valid header value, so the request is refused whole;
            // an id that only the record's _id carried would be replaced by a fresh one.
            assertThat(copies).allSatisfy(copy -> assertThat(copy.header(Mirror.MIRROR_ID_HEADER)).doesNotContain("\n"));
        }
        copies.clear();
        try (Mirror mirror = mirror()) {
            MirrorRequest clean = MirrorRequest.builder("GET", "/").build();
            mirror.integration().replay(new RecordedExchange("bad id\n", Instant.now(), clean, null, Redaction.none()));
            await().atMost(Duration.ofSeconds(10)).until(() -> copies.size() == 1);
            assertThat(copies.get(0).header(Mirror.MIRROR_ID_HEADER)).matches("[0-9a-f]{32}");
        }
    }
}
