package dev.trafficmirror.replay;

import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Recordings made the way production makes them: exchanges handed to a mirror whose target is a
 * {@code file:} URL (the core's own recorder), then the mirror closed, which writes them out.
 */
final class Recordings {

    private Recordings() {
    }

    /** The product service's answer to {@code GET /products/{id}}: what the recorded primary said. */
    static String answer(int product) {
        return String.format(Locale.ROOT, "{\"product\":%d,\"stars\":%d,\"tags\":[\"a\",\"b\"]}", product, product % 5);
    }

    /**
     * Records {@code count} exchanges, {@code GET /products/{1..count}?lang=en} with {@code X-Request-Id: req-N}
     * and one POST with a body, each answered by {@link #answer}, into {@code file}.
     */
    static Path record(Path file, int count) {
        record(MirrorTarget.of("file:" + file.toAbsolutePath()), count);
        return file;
    }

    /** The same exchanges as {@link #record(Path, int)}, to {@code target} (a file: target rotated, say). */
    static void record(MirrorTarget target, int count) {
        try (Mirror mirror = recorder(target)) {
            for (int i = 1; i <= count; i++) {
                submit(mirror, i, i == count);
            }
        }
    }

    /**
     * Records exchanges {@code first} to {@code last} ({@code GET /products/{id}?lang=en}, {@code X-Request-Id:
     * req-N}) to a {@code kafka://} target, and waits until the broker has every one. The first is sent again
     * until it is taken: a producer that does not know the topic's partitions yet drops a record at once.
     */
    static void recordToKafka(String url, int first, int last) {
        try (Mirror mirror = recorder(MirrorTarget.of(url))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                long before = settled(mirror);
                submit(mirror, first, false);
                await().atMost(Duration.ofSeconds(10)).until(() -> settled(mirror) > before);
                return count(mirror, Outcome.COMPLETED) == 1;
            });
            for (int i = first + 1; i <= last; i++) {
                submit(mirror, i, false);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> count(mirror, Outcome.COMPLETED) == last - first + 1);
        }
    }

    private static long count(Mirror mirror, Outcome outcome) {
        return mirror.stats().get(0).count(outcome);
    }

    private static long settled(Mirror mirror) {
        long settled = 0;
        for (Outcome outcome : Outcome.values()) {
            settled += count(mirror, outcome);
        }
        return settled;
    }

    private static Mirror recorder(MirrorTarget target) {
        return Mirror.builder()
                .target(target)
                .meterRegistry(new SimpleMeterRegistry())
                .drainTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static void submit(Mirror mirror, int i, boolean post) {
        MirrorRequest.Builder request = post
                ? MirrorRequest.builder("POST", "/products/" + i).header("Content-Type", "application/json")
                        .body("{\"stars\":5}".getBytes(StandardCharsets.UTF_8))
                : MirrorRequest.builder("GET", "/products/" + i).query("lang=en");
        request.header("Host", "shop.example").header("X-Request-Id", "req-" + i).scheme("https");
        mirror.integration().submit(request.build(), PrimaryResponse.builder(200)
                .header("Content-Type", "application/json")
                .body(answer(i).getBytes(StandardCharsets.UTF_8))
                .latency(Duration.ofMillis(3))
                .build());
    }

    /** Appends raw lines, as a broken writer or another tool might have. */
    static void append(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
