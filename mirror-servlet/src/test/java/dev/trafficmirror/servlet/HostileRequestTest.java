package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hand-written hostile requests sent raw to a real Jetty and Tomcat running the filter, the shadow
 * being a target with a base path. For each, the client gets exactly what it gets from the same
 * container without the mirror; and when the request reached the filter, the copy either went to
 * the configured target under its base path with the path correctly encoded, or was skipped as
 * {@code invalid_request}. The server the requests name is never contacted.
 */
class HostileRequestTest {

    private static final String TARGET = "shadow";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockWebServer shadow = new MockWebServer();
    private final MockWebServer other = new MockWebServer();
    private final List<AutoCloseable> started = new ArrayList<>();

    /** One hostile request and what the copy must be, if the container lets it reach the filter. */
    private record Case(String head, String expectedTarget, String expectedHeader) {
        static Case mirroredTo(String head, String expectedTarget) {
            return new Case(head, expectedTarget, null);
        }

        /** Mirrored, with this value of {@code X-N} as the shadow decodes it (UTF-8). */
        static Case mirroredTo(String head, String expectedTarget, String expectedHeader) {
            return new Case(head, expectedTarget, expectedHeader);
        }

        static Case skipped(String head) {
            return new Case(head, null, null);
        }
    }

    /**
     * What Undertow lets through that Jetty and Tomcat refuse, mirrored as the application got it:
     * a bare CR ends a header line there (the application gets X-N: a and X-Injected: 1, and the
     * copy the same, no CR), and a 9000-byte request line or header is within its limits (and the
     * copy's).
     */
    private static Case onUndertow(Case listed) {
        if (listed.head.startsWith("GET /cr ")) {
            return Case.mirroredTo(listed.head, "/v2/cr", "a");
        }
        if (listed.head.startsWith("GET /aaaa")) {
            return Case.mirroredTo(listed.head, "/v2/" + "a".repeat(9000));
        }
        if (listed.head.startsWith("GET /long-header ")) {
            return Case.mirroredTo(listed.head, "/v2/long-header", "a".repeat(9000));
        }
        return listed;
    }

    @BeforeEach
    void startServers() throws Exception {
        Dispatcher answer = ShadowAnswers.ok();
        shadow.setDispatcher(answer);
        other.setDispatcher(answer);
        shadow.start(0);
        other.start(0);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : started) {
            closeable.close();
        }
        shadow.close();
        other.close();
    }

    private double count(Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", TARGET).tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<Case> cases() {
        String otherHost = "127.0.0.1:" + other.getPort();
        String end = "Connection: close\r\n\r\n";
        return List.of(
                Case.mirroredTo("GET http://" + otherHost + "/x?y HTTP/1.1\r\nHost: " + otherHost + "\r\n" + end, "/v2/x?y"),
                Case.mirroredTo("GET http://" + otherHost + "//evil:99/x HTTP/1.1\r\nHost: " + otherHost + "\r\n" + end,
                        "/v2//evil:99/x"),
                Case.mirroredTo("GET //" + otherHost + "/x HTTP/1.1\r\nHost: h\r\n" + end, "/v2//" + otherHost + "/x"),
                Case.mirroredTo("GET /@" + otherHost + "/x HTTP/1.1\r\nHost: h\r\n" + end, "/v2/@" + otherHost + "/x"),
                Case.skipped("GET /a/..;/x HTTP/1.1\r\nHost: h\r\n" + end),
                Case.skipped("GET /a/../x HTTP/1.1\r\nHost: h\r\n" + end),
                Case.skipped("GET /a/../../../x HTTP/1.1\r\nHost: h\r\n" + end),
                Case.skipped("GET /%2e%2e/x HTTP/1.1\r\nHost: h\r\n" + end),
                Case.skipped("GET /a/%2e/x HTTP/1.1\r\nHost: h\r\n" + end),
                Case.mirroredTo("GET /a/%2F%2Fx HTTP/1.1\r\nHost: h\r\n" + end, "/v2/a/%2F%2Fx"),
                Case.mirroredTo("GET /a%0D%0AX-Injected:%201?c=%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: h\r\n" + end,
                        "/v2/a%0D%0AX-Injected:%201?c=%0d%0aX-Injected:%201"),
                Case.skipped("GET /a%zz HTTP/1.1\r\nHost: h\r\n" + end),
                Case.mirroredTo("GET /x?b=%zz&c='d' HTTP/1.1\r\nHost: h\r\n" + end, "/v2/x?b=%zz&c=%27d%27"),
                Case.skipped("GET /caf\u00c3\u00a9 HTTP/1.1\r\nHost: h\r\n" + end),
                Case.skipped("GET /a\\..\\x HTTP/1.1\r\nHost: h\r\n" + end),
                Case.skipped("OPTIONS * HTTP/1.1\r\nHost: h\r\n" + end),
                Case.mirroredTo("GET /folded HTTP/1.1\r\nHost: h\r\nX-N: a\r\n b\r\n" + end, "/v2/folded", "a b"),
                Case.skipped("GET /cr HTTP/1.1\r\nHost: h\r\nX-N: a\rX-Injected: 1\r\n" + end),
                Case.mirroredTo("GET /utf8-header HTTP/1.1\r\nHost: h\r\nX-N: \u00c3\u00a9\r\n" + end, "/v2/utf8-header", "\u00e9"),
                Case.skipped("GET /latin1-header HTTP/1.1\r\nHost: h\r\nX-N: \u00e9\r\n" + end),
                Case.skipped("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: h\r\n" + end),
                Case.skipped("GET /long-header HTTP/1.1\r\nHost: h\r\nX-N: " + "a".repeat(9000) + "\r\n" + end));
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldNeverLetARequestSteerItsCopyNorChangeThePrimarysAnswer(ServletContainer.Kind kind) throws Exception {
        Mirror mirror = Mirror.builder().target(MirrorTarget.of(TARGET, shadow.url("/v2").toString()))
                .meterRegistry(registry).build();
        started.add(() -> mirror.close(Duration.ofSeconds(5)));
        AtomicInteger reachedFilter = new AtomicInteger();
        MirrorFilter mirrorFilter = new MirrorFilter(mirror);
        Filter counting = (request, response, chain) -> {
            reachedFilter.incrementAndGet();
            mirrorFilter.doFilter(request, response, chain);
        };
        ServletContainer withMirror = kind.start(counting, new EchoServlet());
        started.add(withMirror);
        ServletContainer without = kind.start((request, response, chain) -> chain.doFilter(request, response),
                new EchoServlet());
        started.add(without);
        int considered = 0;
        int mirrored = 0;

        for (Case listed : cases()) {
            boolean splitAtCr = kind == ServletContainer.Kind.UNDERTOW && listed.head.startsWith("GET /cr ");
            Case hostile = kind == ServletContainer.Kind.UNDERTOW ? onUndertow(listed) : listed;
            String what = kind + " " + hostile.head.substring(0, Math.min(60, hostile.head.indexOf('\r')));
            RawHttp.Response expected = RawHttp.exchange(without.port(), hostile.head, new byte[0]);
            int before = reachedFilter.get();

            RawHttp.Response actual = RawHttp.exchange(withMirror.port(), hostile.head, new byte[0]);

            assertThat(actual.status()).as(what).isEqualTo(expected.status());
            assertThat(actual.body()).as(what).isEqualTo(expected.body());
            if (reachedFilter.get() == before) {
                continue;
            }
            considered++;
            int outcomes = considered;
            await(what).untilAsserted(() ->
                    assertThat(count(Reason.NONE) + count(Reason.INVALID_REQUEST)).isEqualTo(outcomes));
            if (hostile.expectedTarget == null) {
                assertThat(shadow.takeRequest(0, TimeUnit.SECONDS)).as(what + ": not mirrored").isNull();
            } else {
                RecordedRequest copy = shadow.takeRequest(5, TimeUnit.SECONDS);
                assertThat(copy).as(what).isNotNull();
                assertThat(copy.getTarget()).as(what).isEqualTo(hostile.expectedTarget);
                assertThat(copy.getHeaders().get("Host")).as(what).isEqualTo(shadow.getHostName() + ":" + shadow.getPort());
                assertThat(copy.getHeaders().get("X-Injected")).as(what).isEqualTo(splitAtCr ? "1" : null);
                assertThat(copy.getHeaders().get("X-N")).as(what).isEqualTo(hostile.expectedHeader);
                mirrored++;
            }
        }

        assertThat(other.getRequestCount()).as("the server the requests name").isZero();
        // Which requests a container lets through differs (Tomcat passes dot segments and "//", Jetty
        // refuses them); both must exercise both branches for the test to mean something.
        assertThat(mirrored).as("hostile requests mirrored").isGreaterThanOrEqualTo(4);
        assertThat(considered - mirrored).as("hostile requests skipped").isGreaterThanOrEqualTo(2);
        assertThat(count(Reason.NONE) + count(Reason.INVALID_REQUEST)).isEqualTo(considered);
    }
}
