package dev.trafficmirror.core.compare.engine;

import static dev.trafficmirror.core.compare.engine.Answers.gzip;
import static dev.trafficmirror.core.compare.engine.Answers.primaryJson;
import static dev.trafficmirror.core.compare.engine.Answers.shadow;
import static dev.trafficmirror.core.compare.engine.Answers.shadowJson;
import static dev.trafficmirror.core.compare.engine.Answers.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own Surefire execution with Jackson taken off the class path (see the POM): JSON
 * bodies are then compared byte for byte, and everything else works as with Jackson.
 */
class ComparisonWithoutJacksonTest {

    private static final MirrorTarget V2 = MirrorTarget.of("v2", "http://v2").compare(true);

    private final ComparisonEngine engine = new ComparisonEngine(CompareOptions.builder().ignorePaths("$.at").build(),
            Answers.counters(new SimpleMeterRegistry()), List.of(V2));

    private Comparison compare(PrimaryResponse primary, ShadowResponse shadow) {
        return engine.compare(V2, MirrorRequest.builder("GET", "/").build(), "id", primary, shadow, Duration.ZERO, null);
    }

    @Test
    void shouldRunWithoutJacksonOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("com.fasterxml.jackson.databind.ObjectMapper"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void shouldMatchIdenticalJsonBytes() {
        assertThat(compare(primaryJson("{\"a\":1,\"b\":[1,2]}"), shadowJson("{\"a\":1,\"b\":[1,2]}")).result())
                .isEqualTo(ComparisonResult.MATCH);
    }

    @Test
    void shouldCompareJsonAsTextWithoutJackson() {
        Comparison reordered = compare(primaryJson("{\"a\":1,\"b\":2}"), shadowJson("{\"b\":2,\"a\":1}"));

        assertThat(reordered.result()).isEqualTo(ComparisonResult.MISMATCH);
        assertThat(reordered.differences()).containsExactly(new Difference("body", Difference.Kind.CHANGED,
                "13 bytes, from byte 0: \"{\\\"a\\\":1,\\\"b\\\":2}\"", "13 bytes, from byte 0: \"{\\\"b\\\":2,\\\"a\\\":1}\""));
    }

    @Test
    void shouldStillDecodeGzipAndCompareStatusAndHeaders() {
        PrimaryResponse gzipped = PrimaryResponse.builder(200).header("Content-Type", "text/plain")
                .header("Content-Encoding", "gzip").body(gzip(utf8("same text"), 1)).build();

        assertThat(compare(gzipped, shadow(200, utf8("same text"), "Content-Type", "text/plain")).result())
                .isEqualTo(ComparisonResult.MATCH);
        assertThat(compare(gzipped, shadow(404, utf8("same text"), "Content-Type", "text/html")).differences())
                .extracting(Difference::path).containsExactly("status", "header:content-type");
    }

    @Test
    void shouldStillReportBodiesOverTheCapAsNotComparable() {
        ShadowResponse truncated = ShadowResponse.of(200, Answers.pairs("Content-Type", "application/json"), utf8("{\"a"), true);

        assertThat(compare(primaryJson("{\"a\":1}"), truncated).result()).isEqualTo(ComparisonResult.NOT_COMPARABLE);
    }
}
