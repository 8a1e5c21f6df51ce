package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The primary's answer captured for comparison on real containers: the client gets the very same
 * bytes with and without the capture, whichever way the application writes, and the capture
 * compares equal with a shadow that runs the same application.
 */
class ResponseCaptureTest {

    private static final Filter PASS_THROUGH = (request, response, chain) -> chain.doFilter(request, response);

    private final List<Mirror> mirrors = new ArrayList<>();
    private final List<ServletContainer> containers = new ArrayList<>();
    private final Map<String, Comparison> compared = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Mirror mirror : mirrors) {
            mirror.close(Duration.ofSeconds(5));
        }
        for (ServletContainer container : containers) {
            container.close();
        }
    }

    private ServletContainer start(ServletContainer.Kind kind, Filter filter) throws Exception {
        ServletContainer container = kind.start(filter, new ScenarioServlet());
        containers.add(container);
        return container;
    }

    private Mirror mirror(UnaryOperator<Mirror.Builder> settings) {
        Mirror mirror = settings.apply(Mirror.builder().meterRegistry(new SimpleMeterRegistry())).build();
        mirrors.add(mirror);
        return mirror;
    }

    /** The shadow: the same application, not mirrored. */
    private Mirror comparingTo(ServletContainer twin) {
        return mirror(b -> b.target(MirrorTarget.of("twin", twin.url("")).compare(true))
                .comparison(CompareOptions.builder().listener(c -> compared.put(c.path(), c)).build()));
    }

    /**
     * Every byte of one answer, read until the container closes the connection. The request declares
     * its empty body, so that async requests, whose body the filter cannot drain, are mirrored too.
     */
    static byte[] raw(ServletContainer container, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: primary.test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return socket.getInputStream().readAllBytes();
        }
    }

    static String withoutDate(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1).replaceAll("(?im)^Date: [^\r\n]*\r\n", "");
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldGiveTheClientTheSameBytesWithAndWithoutCapture(ServletContainer.Kind kind) throws Exception {
        ServletContainer twin = start(kind, PASS_THROUGH);
        ServletContainer captured = start(kind, new MirrorFilter(comparingTo(twin)));
        ServletContainer reference = start(kind, new MirrorFilter(mirror(b -> b.target(MirrorTarget.of("twin", twin.url(""))))));

        for (String scenario : ScenarioServlet.SCENARIOS) {
            String withCapture = withoutDate(raw(captured, scenario));
            String without = withoutDate(raw(reference, scenario));

            assertThat(withCapture).as("%s %s", kind, scenario).isEqualTo(without).contains("HTTP/1.1 ");
        }
        await().untilAsserted(() -> assertThat(compared).as("every answer was captured and compared")
                .containsOnlyKeys(ScenarioServlet.SCENARIOS));
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMatchAShadowRunningTheSameApplicationWhicheverWayItAnswers(ServletContainer.Kind kind) throws Exception {
        ServletContainer twin = start(kind, PASS_THROUGH);
        ServletContainer captured = start(kind, new MirrorFilter(comparingTo(twin)));

        for (String scenario : ScenarioServlet.SCENARIOS) {
            raw(captured, scenario);
        }

        await().untilAsserted(() -> assertThat(compared).containsOnlyKeys(ScenarioServlet.SCENARIOS));
        Map<String, ComparisonResult> notComparable = new java.util.HashMap<>(Map.of(
                "/large", ComparisonResult.NOT_COMPARABLE,
                "/print-non-ascii", ComparisonResult.NOT_COMPARABLE,
                "/async-context-response", ComparisonResult.NOT_COMPARABLE,
                "/throw", ComparisonResult.NOT_COMPARABLE));
        if (kind == ServletContainer.Kind.UNDERTOW) {
            // Undertow's startAsync() holds the response the filter passed on, the capture: it sees the answer.
            notComparable.remove("/async-context-response");
        }
        for (String scenario : ScenarioServlet.SCENARIOS) {
            Comparison comparison = compared.get(scenario);
            assertThat(comparison.result()).as("%s %s: %s", kind, scenario, comparison)
                    .isEqualTo(notComparable.getOrDefault(scenario, ComparisonResult.MATCH));
        }
        assertThat(compared.get("/large").note()).contains("larger than the capture limit (65536 bytes)");
        if (kind != ServletContainer.Kind.UNDERTOW) {
            assertThat(compared.get("/async-context-response").note()).contains("AsyncContext.getResponse()");
        }
        assertThat(compared.get("/throw").note()).contains("the application threw");
        assertThat(compared.get("/send-error").note()).contains("sendError");
        assertThat(compared.get("/json").primaryLatency()).isPositive();
    }
}
