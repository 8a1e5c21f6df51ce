package dev.trafficmirror.core.http;

import static dev.trafficmirror.core.http.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.MirrorRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The exact bytes {@link RequestWriter} puts on the wire, and what it refuses to write. */
class RequestWriterTest {

    private static final TargetAddress BASE = TargetAddress.of("http://shadow.internal:9080");

    private static byte[] written(TargetAddress base, MirrorRequest request) {
        return bytes(RequestWriter.write(base, request));
    }

    private static String writtenText(TargetAddress base, MirrorRequest request) {
        return new String(written(base, request), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldWriteAGetWithItsQueryAndNoFraming() {
        MirrorRequest request = MirrorRequest.builder("GET", "/search/a%2Fb").query("q=caf%C3%A9&x&empty=")
                .header("Accept", "*/*").header("X-Multi", "1").header("X-Multi", "2").build();

        ByteBuffer[] buffers = RequestWriter.write(BASE, request);

        assertThat(buffers).as("no body, one buffer").hasSize(1);
        assertThat(bytes(buffers)).isEqualTo(bytes("GET /search/a%2Fb?q=caf%C3%A9&x&empty= HTTP/1.1\r\n"
                + "Host: shadow.internal:9080\r\n"
                + "Accept: */*\r\nX-Multi: 1\r\nX-Multi: 2\r\n\r\n"));
    }

    @Test
    void shouldKeepAnEmptyQuery() {
        MirrorRequest request = MirrorRequest.builder("GET", "/a").query("").build();

        assertThat(writtenText(BASE, request)).startsWith("GET /a? HTTP/1.1\r\n");
    }

    @Test
    void shouldWriteABinaryBodyWithOurOwnContentLength() {
        byte[] body = {0, 1, 2, (byte) 0xff, (byte) 0x80, '\r', '\n', '\r', '\n'};
        MirrorRequest request = MirrorRequest.builder("POST", "/upload")
                .header("Content-Type", "application/octet-stream")
                .header("Content-Length", "999")
                .header("Transfer-Encoding", "chunked")
                .header("X-After", "kept")
                .body(body).build();

        ByteBuffer[] buffers = RequestWriter.write(BASE, request);

        assertThat(bytes(buffers)).isEqualTo(Wire.join(bytes("POST /upload HTTP/1.1\r\n"
                + "Host: shadow.internal:9080\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "X-After: kept\r\n"
                + "Content-Length: 9\r\n\r\n"), body));
        assertThat(bytes(RequestWriter.write(BASE, request))).as("the copy is not used up").isEqualTo(bytes(buffers));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY"})
    void shouldSayContentLengthZeroForAnEmptyBodyWhereOneIsExpected(String method) {
        MirrorRequest request = MirrorRequest.builder(method, "/x").header("Content-Length", "0").build();

        assertThat(writtenText(BASE, request)).isEqualTo(method + " /x HTTP/1.1\r\n"
                + "Host: shadow.internal:9080\r\nContent-Length: 0\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "DELETE", "OPTIONS", "MKCOL"})
    void shouldFrameNothingWithoutABodyWhereNoneIsExpected(String method) {
        MirrorRequest request = MirrorRequest.builder(method, "/x").header("Transfer-Encoding", "chunked").build();

        assertThat(writtenText(BASE, request)).isEqualTo(method + " /x HTTP/1.1\r\n"
                + "Host: shadow.internal:9080\r\n\r\n");
    }

    @Test
    void shouldFrameTheBodyOfAGet() {
        MirrorRequest request = MirrorRequest.builder("GET", "/x").body(bytes("{}")).build();

        assertThat(writtenText(BASE, request)).isEqualTo("GET /x HTTP/1.1\r\n"
                + "Host: shadow.internal:9080\r\nContent-Length: 2\r\n\r\n{}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://shadow.internal:8080 | shadow.internal:8080",
        "http://shadow.internal:80   | shadow.internal",
        "http://shadow.internal      | shadow.internal",
        "http://127.0.0.1:9         | 127.0.0.1:9",
        "http://[::1]:8080           | [::1]:8080",
        "http://[::1]                | [::1]",
        "http://[2001:DB8::1]:81     | [2001:db8::1]:81"})
    void shouldNameTheTargetInHost(String base, String host) {
        MirrorRequest request = MirrorRequest.builder("GET", "/").build();

        assertThat(writtenText(TargetAddress.of(base), request)).isEqualTo("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    }

    @Test
    void shouldKeepAHostTheCopyCarriesWhereItCarriesIt() {
        MirrorRequest request = MirrorRequest.builder("GET", "/").header("Accept", "*/*")
                .header("host", "primary.example").header("X-Last", "1").build();

        assertThat(writtenText(BASE, request)).isEqualTo("GET / HTTP/1.1\r\n"
                + "Accept: */*\r\nhost: primary.example\r\nX-Last: 1\r\n\r\n");
    }

    @Test
    void shouldPutTheTargetsBasePathFirst() {
        MirrorRequest request = MirrorRequest.builder("GET", "/x/y").query("z=1").build();

        assertThat(writtenText(TargetAddress.of("http://shadow.internal:9080/v2"), request))
                .startsWith("GET /v2/x/y?z=1 HTTP/1.1\r\n");
    }

    @Test
    void shouldWriteHeaderValuesAsTheUtf8BytesTheClientSent() {
        // A container hands over header bytes as ISO-8859-1 characters: "café" in UTF-8 arrives as "cafÃ©".
        MirrorRequest request = MirrorRequest.builder("GET", "/").header("X-Received", "caf\u00c3\u00a9")
                .header("X-Text", "\u20ac 5").build();

        byte[] written = written(BASE, request);

        assertThat(written).isEqualTo(Wire.join(bytes("GET / HTTP/1.1\r\nHost: shadow.internal:9080\r\nX-Received: "),
                "caf\u00e9".getBytes(StandardCharsets.UTF_8), bytes("\r\nX-Text: "),
                "\u20ac 5".getBytes(StandardCharsets.UTF_8), bytes("\r\n\r\n")));
    }

    static Stream<Arguments> unwritable() {
        return Stream.of(
                Arguments.of(MirrorRequest.builder("GET", "/").header("X-A", "a\r\nX-Injected: 1").build(), "CRLF in a value"),
                Arguments.of(MirrorRequest.builder("GET", "/").header("X-A", "a\nX-Injected: 1").build(), "LF in a value"),
                Arguments.of(MirrorRequest.builder("GET", "/").header("X-A", "a\rb").build(), "CR in a value"),
                Arguments.of(MirrorRequest.builder("GET", "/").header("X-A", "a\u0000b").build(), "NUL in a value"),
                Arguments.of(MirrorRequest.builder("GET", "/").header("X-A", "caf\u00e9").build(), "value bytes not UTF-8"),
                Arguments.of(MirrorRequest.builder("GET", "/").header("Bad Name", "x").build(), "space in a name"),
                Arguments.of(MirrorRequest.builder("GET", "/").header("X-A: b\r\nX-B", "x").build(), "CRLF in a name"),
                Arguments.of(MirrorRequest.builder("GET", "/").header("X-\u00c4", "x").build(), "non-ASCII name"),
                Arguments.of(MirrorRequest.builder("GET /admin HTTP/1.1\r\nX:", "/").build(), "request line in the method"),
                Arguments.of(MirrorRequest.builder("GE T", "/").build(), "space in the method"),
                Arguments.of(MirrorRequest.builder("G\u00c9T", "/").build(), "non-ASCII method"),
                Arguments.of(MirrorRequest.builder("GET", "/a/../admin").build(), "dot segment"),
                Arguments.of(MirrorRequest.builder("GET", "/a/%2e%2E/admin").build(), "encoded dot segment"),
                Arguments.of(MirrorRequest.builder("GET", "/a/..;x/admin").build(), "dot segment with a parameter"),
                Arguments.of(MirrorRequest.builder("GET", "/a\r\nX-Injected: 1").build(), "CRLF in the path"),
                Arguments.of(MirrorRequest.builder("GET", "/a").query("b\r\nX-Injected: 1").build(), "CRLF in the query"),
                Arguments.of(MirrorRequest.builder("GET", "/a b HTTP/1.1").build(), "request line in the path"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unwritable")
    void shouldRefuseWhatCouldInjectOrBeReadDifferently(MirrorRequest request, String what) {
        assertThatThrownBy(() -> RequestWriter.write(BASE, request)).isInstanceOf(IllegalArgumentException.class);
    }
}
