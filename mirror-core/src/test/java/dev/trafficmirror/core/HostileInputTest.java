package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.http.WireSyntax;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests crafted to steer the copy elsewhere or to split its head: each either reaches the
 * configured target, under its base path, with the path correctly encoded, or is skipped as
 * {@code invalid_request}. A second server, whose address the requests name, must never be reached.
 */
class HostileInputTest {

    private static final String OTHER = "127.0.0.1:" + OtherServer.PORT;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Shadow shadow;
    private final Mirror mirror;

    HostileInputTest() throws Exception {
        shadow = new Shadow();
        mirror = Mirror.builder().target(MirrorTarget.of("shadow", shadow.url("/v2"))).meterRegistry(registry).build();
    }

    @AfterEach
    void close() {
        mirror.close(Duration.ofSeconds(5));
        shadow.close();
        assertThat(OtherServer.INSTANCE.received()).as("the server the requests name").isZero();
    }

    static Stream<Arguments> steeringPaths() {
        return Stream.of(
                Arguments.of("//" + OTHER + "/x", null, "/v2//" + OTHER + "/x"),
                Arguments.of("/@" + OTHER + "/x", null, "/v2/@" + OTHER + "/x"),
                Arguments.of("/http://" + OTHER + "/x", null, "/v2/http://" + OTHER + "/x"),
                Arguments.of("/%2F%2F" + OTHER + "/x", null, "/v2/%2F%2F" + OTHER + "/x"),
                Arguments.of("/a%0D%0AHost:%20" + OTHER, "q=%0d%0aX-Injected:%201", "/v2/a%0D%0AHost:%20" + OTHER
                        + "?q=%0d%0aX-Injected:%201"),
                Arguments.of("/a b/|{x}", "a b='c'", "/v2/a%20b/%7C%7Bx%7D?a%20b=%27c%27"),
                Arguments.of("/a;x=..;y/b", "path=../../etc&%zz", "/v2/a;x=..;y/b?path=../../etc&%zz"),
                Arguments.of("/...", null, "/v2/..."),
                Arguments.of("/" + "a".repeat(8000), null, "/v2/" + "a".repeat(8000)));
    }

    @ParameterizedTest
    @MethodSource("steeringPaths")
    void shouldKeepTheCopyOnTheTargetUnderItsBasePath(String path, String query, String expected) throws Exception {
        mirror.submit(MirrorRequest.builder("GET", path).query(query).header("Host", OTHER).build());

        RecordedRequest copy = shadow.take();
        assertThat(copy.getTarget()).isEqualTo(expected);
        assertThat(copy.getHeaders().get("Host")).isEqualTo(shadow.hostAndPort());
        assertThat(copy.getHeaders().get("X-Injected")).isNull();
        await().untilAsserted(() -> assertThat(Meters.count(registry, "shadow", Reason.NONE)).isEqualTo(1));
    }

    static Stream<Arguments> unreproduciblePaths() {
        return Stream.of(
                Arguments.of("/../x", null),
                Arguments.of("/a/../../x", null),
                Arguments.of("/..;/x", null),
                Arguments.of("/a/..;jsessionid=1/x", null),
                Arguments.of("/%2e%2e/x", null),
                Arguments.of("/.%2E/x", null),
                Arguments.of("/a%2F..%2Fx", null),
                Arguments.of("/a%5c..%5cx", null),
                Arguments.of("/./x", null),
                Arguments.of("/a/..", null),
                Arguments.of("/a\\..\\x", null),
                Arguments.of("/a%zz", null),
                Arguments.of("/a%", null),
                Arguments.of("/a%4", null),
                Arguments.of("/caf\u00e9", null),
                Arguments.of("/caf\u00c3\u00a9", null),
                Arguments.of("/a\r\nX-Injected: 1", null),
                Arguments.of("/a\u0000", null),
                Arguments.of("/a", "q=1\r\nX-Injected: 1"),
                Arguments.of("/a", "q=\u00e9"),
                Arguments.of("/a", "q#fragment"),
                Arguments.of("/a?b", null),
                Arguments.of("*", null),
                Arguments.of("http://" + OTHER + "/x", null),
                Arguments.of("/" + "a".repeat(WireSyntax.MAX_TARGET_LENGTH), null),
                Arguments.of("/a", "q=" + "a".repeat(WireSyntax.MAX_TARGET_LENGTH)));
    }

    @ParameterizedTest
    @MethodSource("unreproduciblePaths")
    void shouldSkipWhatCannotBeReproducedSafely(String path, String query) {
        assertThat(mirror.integration().begin(MirrorRequest.builder("GET", path).query(query).build())).isNull();

        assertThat(Meters.count(registry, "shadow", Reason.INVALID_REQUEST)).isEqualTo(1);
        assertThat(shadow.received()).isZero();
    }

    @Test
    void shouldSkipHeadersThatCouldSplitTheCopysHead() {
        MirrorRequest[] hostile = {
            MirrorRequest.builder("GET", "/").header("X-A", "1\r\nX-Injected: 1").build(),
            MirrorRequest.builder("GET", "/").header("X-A", "1\nX-Injected: 1").build(),
            MirrorRequest.builder("GET", "/").header("X-A", "1\r").build(),
            MirrorRequest.builder("GET", "/").header("X-A", "nul\u0000").build(),
            MirrorRequest.builder("GET", "/").header("X-A: 1\r\nX-B", "1").build(),
            MirrorRequest.builder("GET", "/").header("X-A", "a".repeat(WireSyntax.MAX_HEADERS_LENGTH)).build(),
            MirrorRequest.builder("GET /x HTTP/1.1\r\n", "/").build(),
        };
        for (MirrorRequest request : hostile) {
            assertThat(mirror.integration().begin(request)).as(request.toString()).isNull();
        }

        assertThat(Meters.count(registry, "shadow", Reason.INVALID_REQUEST)).isEqualTo(hostile.length);
        assertThat(shadow.received()).isZero();
    }

    @Test
    void shouldSendHeaderBytesAsReceivedOrSkipWhenTheyAreNotUtf8() throws Exception {
        // Containers decode header bytes as ISO-8859-1: "\u00c3\u00a9" is the UTF-8 bytes of "é".
        mirror.submit(MirrorRequest.builder("GET", "/utf8").header("X-Name", "\u00c3\u00a9t\u00c3\u00a9")
                .header("X-Tab", "a\tb").build());
        RecordedRequest copy = shadow.take();
        assertThat(copy.getHeaders().get("X-Name")).isEqualTo("\u00e9t\u00e9");
        assertThat(copy.getHeaders().get("X-Tab")).isEqualTo("a\tb");

        // A lone 0xE9 byte is not UTF-8; OkHttp would send two other bytes, so the copy is refused.
        mirror.submit(MirrorRequest.builder("GET", "/latin1").header("X-Name", "\u00e9").build());
        await().untilAsserted(() -> assertThat(Meters.count(registry, "shadow", Reason.INVALID_REQUEST)).isEqualTo(1));
        assertThat(Meters.count(registry, "shadow", Reason.NONE)).isEqualTo(1);
        assertThat(shadow.received()).isEqualTo(1);
    }
}
