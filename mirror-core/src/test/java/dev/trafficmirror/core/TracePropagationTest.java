package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the shadow receives of a request's trace context, in each mode and each format: a copy never
 * reaches it as part of a sampled production trace unless the owner asked for that.
 */
class TracePropagationTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";
    private static final String SPAN_ID = "[0-9a-f]{16}";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Shadow shadow;
    private Mirror mirror;

    TracePropagationTest() throws Exception {
        shadow = new Shadow();
    }

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        shadow.close();
    }

    /** The headers the shadow received for one request carrying {@code headers}, in {@code mode}. */
    private Headers copyOf(TracePropagation mode, String... headers) throws Exception {
        Mirror.Builder builder = Mirror.builder().target(MirrorTarget.of("shadow", shadow.url("/"))).meterRegistry(registry);
        mirror = (mode == null ? builder : builder.trace(mode)).build();
        MirrorRequest.Builder request = MirrorRequest.builder("GET", "/reviews/7");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        mirror.submit(request.build());
        RecordedRequest copy = shadow.take();
        return copy.getHeaders();
    }

    @Test
    void shouldKeepTheTraceIdButStartAnUnsampledSpanOfItsOwnByDefault() throws Exception {
        Headers copy = copyOf(null, "traceparent", "00-" + TRACE + "-" + PARENT + "-01", "tracestate", "dd=s:2;o:rum");

        assertThat(copy.get("traceparent")).matches("00-" + TRACE + "-" + SPAN_ID + "-00")
                .doesNotContain(PARENT);
        assertThat(copy.get("tracestate")).as("vendors keep sampling decisions there").isNull();
        assertThat(copy.get("X-Mirror-Id")).as("still tied to its request").isEqualTo(TRACE);
    }

    @Test
    void shouldGiveEveryCopyASpanOfItsOwn() throws Exception {
        mirror = Mirror.builder().target(MirrorTarget.of("shadow", shadow.url("/"))).meterRegistry(registry).build();
        MirrorRequest request = MirrorRequest.builder("GET", "/").header("traceparent", "00-" + TRACE + "-" + PARENT + "-01")
                .build();

        mirror.submit(request);
        mirror.submit(request);

        assertThat(shadow.take(2)).extracting(copy -> copy.getHeaders().get("traceparent")).doesNotHaveDuplicates();
    }

    static Stream<Arguments> unsampled() {
        return Stream.of(
                Arguments.of(new String[] {"traceparent", "00-" + TRACE + "-" + PARENT + "-03"},
                        new String[] {"traceparent", "00-" + TRACE + "-" + SPAN_ID + "-02"}),
                Arguments.of(new String[] {"traceparent", "cc-" + TRACE + "-" + PARENT + "-01-future"},
                        new String[] {"traceparent", "cc-" + TRACE + "-" + SPAN_ID + "-00-future"}),
                Arguments.of(new String[] {"b3", TRACE + "-" + PARENT + "-1-" + PARENT},
                        new String[] {"b3", TRACE + "-" + SPAN_ID + "-0"}),
                Arguments.of(new String[] {"b3", "80f198ee56343ba8-" + PARENT + "-d"},
                        new String[] {"b3", "80f198ee56343ba8-" + SPAN_ID + "-0"}),
                Arguments.of(new String[] {"b3", "1"}, new String[] {"b3", "0"}),
                Arguments.of(new String[] {"X-B3-TraceId", TRACE, "X-B3-SpanId", PARENT, "X-B3-ParentSpanId", PARENT,
                        "X-B3-Sampled", "1", "X-B3-Flags", "1"},
                        new String[] {"X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "0",
                                "X-B3-ParentSpanId", null, "X-B3-Flags", null}),
                Arguments.of(new String[] {"X-B3-TraceId", TRACE, "X-B3-SpanId", PARENT},
                        new String[] {"X-B3-TraceId", TRACE, "X-B3-Sampled", "0"}),
                Arguments.of(new String[] {"uber-trace-id", TRACE + ":" + PARENT + ":0:1"},
                        new String[] {"uber-trace-id", TRACE + ":" + SPAN_ID + ":0:0"}),
                Arguments.of(new String[] {"uber-trace-id", "abc%3A" + PARENT + "%3A0%3A3"},
                        new String[] {"uber-trace-id", "abc:" + SPAN_ID + ":0:0"}),
                Arguments.of(new String[] {"x-datadog-trace-id", "1234567890", "x-datadog-parent-id", "987",
                        "x-datadog-sampling-priority", "2", "x-datadog-tags", "_dd.p.dm=-4"},
                        new String[] {"x-datadog-trace-id", "1234567890", "x-datadog-parent-id", "[0-9]+",
                                "x-datadog-sampling-priority", "0", "x-datadog-tags", null}),
                Arguments.of(new String[] {"X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=" + PARENT
                        + ";Sampled=1"},
                        new String[] {"X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=" + SPAN_ID
                                + ";Sampled=0"}),
                Arguments.of(new String[] {"X-Cloud-Trace-Context", TRACE + "/12345;o=1"},
                        new String[] {"X-Cloud-Trace-Context", TRACE + "/[0-9]+;o=0"}),
                // What cannot be read cannot be made unsampled: it is dropped, not passed on.
                Arguments.of(new String[] {"traceparent", "00-" + TRACE + "-" + PARENT}, new String[] {"traceparent", null}),
                Arguments.of(new String[] {"traceparent", "00-" + "0".repeat(32) + "-" + PARENT + "-01"},
                        new String[] {"traceparent", null}),
                Arguments.of(new String[] {"b3", "not-a-b3"}, new String[] {"b3", null}),
                Arguments.of(new String[] {"uber-trace-id", "x:y"}, new String[] {"uber-trace-id", null}),
                Arguments.of(new String[] {"X-Amzn-Trace-Id", "Sampled=1"}, new String[] {"X-Amzn-Trace-Id", null}));
    }

    @ParameterizedTest
    @MethodSource("unsampled")
    void shouldMakeEveryFormatUnsampledWithASpanOfItsOwn(String[] received, String[] expected) throws Exception {
        Headers copy = copyOf(TracePropagation.UNSAMPLED, received);

        for (int i = 0; i < expected.length; i += 2) {
            if (expected[i + 1] == null) {
                assertThat(copy.get(expected[i])).as(expected[i]).isNull();
            } else {
                assertThat(copy.values(expected[i])).as(expected[i]).singleElement().asString().matches(expected[i + 1]);
            }
        }
    }

    static Stream<Arguments> everyFormat() {
        return Stream.of(
                Arguments.of((Object) new String[] {"traceparent", "00-" + TRACE + "-" + PARENT + "-01", "tracestate", "a=b"}),
                Arguments.of((Object) new String[] {"b3", TRACE + "-" + PARENT + "-1"}),
                Arguments.of((Object) new String[] {"X-B3-TraceId", TRACE, "X-B3-SpanId", PARENT, "X-B3-Sampled", "1",
                        "X-B3-Flags", "1", "X-B3-ParentSpanId", PARENT}),
                Arguments.of((Object) new String[] {"uber-trace-id", TRACE + ":" + PARENT + ":0:1"}),
                Arguments.of((Object) new String[] {"x-datadog-trace-id", "1", "x-datadog-parent-id", "2",
                        "x-datadog-sampling-priority", "1"}),
                Arguments.of((Object) new String[] {"X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}),
                Arguments.of((Object) new String[] {"X-Cloud-Trace-Context", TRACE + "/1;o=1"}));
    }

    @ParameterizedTest
    @MethodSource("everyFormat")
    void shouldStripEveryFormat(String[] received) throws Exception {
        Headers copy = copyOf(TracePropagation.STRIP, received);

        for (int i = 0; i < received.length; i += 2) {
            assertThat(copy.get(received[i])).as(received[i]).isNull();
        }
        assertThat(copy.get("X-Mirror-Id")).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("everyFormat")
    void shouldPropagateEveryFormatUnchangedWhenAsked(String[] received) throws Exception {
        Headers copy = copyOf(TracePropagation.PROPAGATE, received);

        for (int i = 0; i < received.length; i += 2) {
            assertThat(copy.values(received[i])).as(received[i]).containsExactly(received[i + 1]);
        }
    }

    @Test
    void shouldLetHeaderRulesHaveTheLastWord() throws Exception {
        mirror = Mirror.builder().target(MirrorTarget.of("shadow", shadow.url("/")))
                .headers(HeaderRules.defaults().set("traceparent", "00-" + TRACE + "-" + PARENT + "-01"))
                .meterRegistry(registry).build();

        mirror.submit(MirrorRequest.builder("GET", "/").header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").build());

        assertThat(shadow.take().getHeaders().get("traceparent")).isEqualTo("00-" + TRACE + "-" + PARENT + "-01");
    }
}
