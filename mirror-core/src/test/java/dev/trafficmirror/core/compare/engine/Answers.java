package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Builds primary and shadow answers for comparison tests. */
final class Answers {

    private Answers() {
    }

    /** Counters registered as they are, without a mirror's tags. */
    static Counters counters(MeterRegistry registry) {
        return (name, description, tags) -> Counter.builder(name).description(description).tags(tags).register(registry);
    }

    static PrimaryResponse primaryJson(String json) {
        return PrimaryResponse.builder(200).header("Content-Type", "application/json")
                .body(utf8(json)).latency(Duration.ofMillis(3)).build();
    }

    static ShadowResponse shadowJson(String json) {
        return shadow(200, utf8(json), "Content-Type", "application/json;charset=UTF-8");
    }

    /** A shadow answer with headers given as name, value, name, value... */
    static ShadowResponse shadow(int status, byte[] body, String... headers) {
        return ShadowResponse.of(status, pairs(headers), body, false);
    }

    static List<Map.Entry<String, String>> pairs(String... headers) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            list.add(Map.entry(headers[i], headers[i + 1]));
        }
        return list;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] bytes, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static int fastest() {
        return Deflater.BEST_SPEED;
    }

    static int smallest() {
        return Deflater.BEST_COMPRESSION;
    }
}
