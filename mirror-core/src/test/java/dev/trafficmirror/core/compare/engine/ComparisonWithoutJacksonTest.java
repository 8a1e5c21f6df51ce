package dev.trafficmirror.core.compare.engine;

import static dev.trafficmirror.core.compare.engine.Answers.gzip;
import static dev.trafficmirror.core.compare.engine.Answers.primaryJson;
import static dev.trafficmirror.core.compare.engine.Answers.shadow;
import static dev.trafficmirror.core.compare.engine.Answers.shadowJson;
import static dev.trafficmirror.core.compare.engine.Answers.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.compare.JsonComparison;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own Surefire execution with both Jacksons taken off the class path (see the POM): JSON
 * bodies are then compared as whole bodies, byte for byte, everything else works as with Jackson,
 * a mirror that compares says so once at start-up, and one that sets what only a JSON diff can
 * honour (ignored paths, unordered arrays) is refused.
 */
class ComparisonWithoutJacksonTest {

    private static final MirrorTarget V2 = MirrorTarget.of("v2", "http://v2").compare(true);

    private final ComparisonEngine engine = new ComparisonEngine(CompareOptions.builder().ignorePaths("$.at").build(),
            Answers.counters(new SimpleMeterRegistry()), List.of(V2));

    private Comparison compare(PrimaryResponse primary, ShadowResponse shadow) {
        return engine.compare(V2, MirrorRequest.builder("GET", "/").build(), "id", primary, shadow, Duration.ZERO, null);
    }

    @Test
    void shouldRunWithoutEitherJacksonOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("com.fasterxml.jackson.core.JsonFactory"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("tools.jackson.core.json.JsonFactory"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(JsonComparison.available()).isEqualTo(JsonComparison.WHOLE_BODIES);
        assertThat(engine.summary().json()).isEqualTo(JsonComparison.WHOLE_BODIES);
        assertThat(engine.summary().toString()).contains("JSON bodies compared as whole bodies: neither Jackson 3");
    }

    @Test
    void shouldSayOnceAtStartUpWhatAComparingMirrorLosesAndWhatToAdd() {
        String log = stderrWhile(() -> {
            Mirror.builder().target(V2).target("http://v3").meterRegistry(new SimpleMeterRegistry()).build().close();
            Mirror.builder().target("http://v3").meterRegistry(new SimpleMeterRegistry()).build().close();
        });

        assertThat(log.lines().filter(line -> line.contains("WARN"))).singleElement().asString()
                .contains("Mirror 'default' compares the answers of [v2], but neither Jackson 3 (tools.jackson.core)"
                        + " nor Jackson 2 (com.fasterxml.jackson.core) is on the class path", "as whole bodies",
                        "no field paths", "ignored paths and unordered arrays cannot apply",
                        "add tools.jackson.core:jackson-databind (Jackson 3)");
    }

    @Test
    void shouldRefuseIgnoredPathsAndUnorderedArraysItCannotApply() {
        assertThatThrownBy(() -> Mirror.builder().target(V2).meterRegistry(new SimpleMeterRegistry())
                .comparison(CompareOptions.builder().ignorePaths("$.at").unorderedArrays("$.tags").build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("comparison ignorePaths [$.at] and unorderedArrays [$.tags] cannot apply:"
                        + " neither Jackson 3");
        // Nothing compares: nothing to apply them to.
        Mirror.builder().target("http://v3").meterRegistry(new SimpleMeterRegistry())
                .comparison(CompareOptions.builder().ignorePaths("$.at").build()).build().close();
    }

    /** What the mirror's log (slf4j-simple, which writes to the System.err of the moment) says while {@code action} runs. */
    private static String stderrWhile(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
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
