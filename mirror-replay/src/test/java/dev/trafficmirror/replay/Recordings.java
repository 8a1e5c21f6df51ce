package dev.trafficmirror.replay;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
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
        try (Mirror mirror = Mirror.builder()
                .target(MirrorTarget.of("file:" + file.toAbsolutePath()))
                .meterRegistry(new SimpleMeterRegistry())
                .drainTimeout(Duration.ofSeconds(10))
                .build()) {
            for (int i = 1; i <= count; i++) {
                MirrorRequest.Builder request = i == count
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
        }
        return file;
    }

    /** Appends raw lines, as a broken writer or another tool might have. */
    static void append(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
