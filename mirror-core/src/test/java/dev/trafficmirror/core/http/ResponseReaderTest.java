package dev.trafficmirror.core.http;

import static dev.trafficmirror.core.http.Wire.bytes;
import static dev.trafficmirror.core.http.Wire.everyByte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.ShadowResponse;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ResponseReader} on hand-written answers, each fed one byte at a time. */
class ResponseReaderTest {

    private static final int LIMIT = 1024;
    private static final String NEXT = "HTTP/1.1 204 No Content\r\n\r\n";

    private ResponseReader reader = new ResponseReader(false, LIMIT);

    private Wire.Fed feed(String wire) throws IOException {
        byte[] bytes = bytes(wire);
        return Wire.feed(reader, bytes, everyByte(bytes));
    }

    @Test
    void shouldReadAContentLengthBodyAndLeaveTheNextResponseUnread() throws IOException {
        Wire.Fed fed = feed("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello" + NEXT);

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(fed.unread()).isEqualTo(bytes(NEXT));
        ShadowResponse response = reader.response();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsExactly(
                Map.entry("Content-Type", "text/plain"), Map.entry("Content-Length", "5"));
        assertThat(response.body()).isEqualTo(bytes("hello"));
        assertThat(response.truncated()).isFalse();
        assertThat(reader.reusable()).isTrue();
    }

    @Test
    void shouldSkipInterimAnswersAndTheirHeaders() throws IOException {
        Wire.Fed fed = feed("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok" + NEXT);

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(reader.response().status()).isEqualTo(201);
        assertThat(reader.response().headers()).containsExactly(Map.entry("Content-Length", "2"));
        assertThat(reader.response().body()).isEqualTo(bytes("ok"));
        assertThat(fed.unread()).isEqualTo(bytes(NEXT));
        assertThat(reader.reusable()).isTrue();
    }

    @Test
    void shouldTakeNoBodyAfterHeadWhateverTheContentLengthSays() throws IOException {
        reader = new ResponseReader(true, LIMIT);

        Wire.Fed fed = feed("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + NEXT);

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(fed.unread()).isEqualTo(bytes(NEXT));
        assertThat(reader.response().bodyLength()).isZero();
        assertThat(reader.reusable()).isTrue();
    }

    @Test
    void shouldWaitForTheBodyOfTheSameAnswerToAGet() throws IOException {
        assertThat(reader.read(ByteBuffer.wrap(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + NEXT))))
                .isFalse();
        assertThat(reader.response().body()).startsWith(bytes(NEXT));
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void shouldIgnoreTheContentLengthOfAnswersThatHaveNoBody(int status) throws IOException {
        Wire.Fed fed = feed("HTTP/1.1 " + status + " X\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(fed.unread()).isEqualTo(bytes("hello"));
        assertThat(reader.response().status()).isEqualTo(status);
        assertThat(reader.response().bodyLength()).isZero();
        assertThat(reader.reusable()).isTrue();
    }

    @Test
    void shouldEndAtSwitchingProtocolsAndNotReuseTheConnection() throws IOException {
        Wire.Fed fed = feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0000");

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(reader.response().status()).isEqualTo(101);
        assertThat(reader.response().bodyLength()).isZero();
        assertThat(reader.reusable()).isFalse();
    }

    @Test
    void shouldReadChunksWithExtensionsAndSkipTrailers() throws IOException {
        String alphabet = "abcdefghijklmnopqrstuvwxyz";
        Wire.Fed fed = feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "1A ; q=\"a;b\"\r\n" + alphabet + "\r\n"
                + "0;last\r\nExpires: never\r\nX-Checksum: abc\r\n\r\n" + NEXT);

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(fed.unread()).isEqualTo(bytes(NEXT));
        assertThat(reader.response().body()).isEqualTo(bytes("hello" + alphabet));
        assertThat(reader.response().headers()).containsExactly(Map.entry("Transfer-Encoding", "chunked"));
        assertThat(reader.reusable()).isTrue();
    }

    @Test
    void shouldPreferChunkedOverContentLength() throws IOException {
        Wire.Fed fed = feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n" + NEXT);

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(reader.response().body()).isEqualTo(bytes("hello"));
        assertThat(fed.unread()).isEqualTo(bytes(NEXT));
    }

    @Test
    void shouldReadUntilCloseWhenTheTransferCodingIsNotChunked() throws IOException {
        Wire.Fed fed = feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n" + NEXT);

        assertThat(fed.completeBeforeEnd()).isFalse();
        assertThat(reader.response().body()).isEqualTo(bytes(NEXT));
        assertThat(reader.reusable()).isFalse();
    }

    @Test
    void shouldReadAnUnframedBodyUntilTheConnectionCloses() throws IOException {
        assertThat(reader.read(ByteBuffer.wrap(bytes("HTTP/1.1 200 OK\r\n\r\nuntil ")))).isFalse();
        assertThat(reader.read(ByteBuffer.wrap(bytes("close")))).isFalse();
        assertThat(reader.reusable()).isFalse();

        reader.endOfStream();

        assertThat(reader.response().body()).isEqualTo(bytes("until close"));
        assertThat(reader.reusable()).isFalse();
    }

    @Test
    void shouldNotReuseAfterHttp10EvenWithAContentLength() throws IOException {
        Wire.Fed fed = feed("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(reader.response().body()).isEqualTo(bytes("ok"));
        assertThat(reader.reusable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"close", "Close", "keep-alive, close"})
    void shouldNotReuseWhenTheShadowSaysItCloses(String connection) throws IOException {
        Wire.Fed fed = feed("HTTP/1.1 200 OK\r\nConnection: " + connection + "\r\nContent-Length: 2\r\n\r\nok");

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(reader.reusable()).isFalse();
    }

    @Test
    void shouldGiveUpAtTheCaptureLimitAndNotReuse() throws IOException {
        reader = new ResponseReader(false, 4);

        boolean complete = reader.read(ByteBuffer.wrap(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234")));

        assertThat(complete).as("given up, not waiting for the rest").isTrue();
        assertThat(reader.response().body()).isEqualTo(bytes("0123"));
        assertThat(reader.response().truncated()).isTrue();
        assertThat(reader.reusable()).isFalse();
    }

    @Test
    void shouldNotCallABodyOfExactlyTheLimitTruncated() throws IOException {
        reader = new ResponseReader(false, 5);

        Wire.Fed fed = feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n");

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(reader.response().body()).isEqualTo(bytes("hello"));
        assertThat(reader.response().truncated()).isFalse();
        assertThat(reader.reusable()).isTrue();
    }

    @Test
    void shouldStripOptionalWhitespaceAndKeepObsTextAsLatin1() throws IOException {
        feed("HTTP/1.1 200 OK\r\nX-Padded: \t two words \t\r\nX-Empty:\r\nX-Latin: caf\u00e9\r\nContent-Length: 0\r\n\r\n");

        assertThat(reader.response().headers()).containsExactly(Map.entry("X-Padded", "two words"),
                Map.entry("X-Empty", ""), Map.entry("X-Latin", "caf\u00e9"), Map.entry("Content-Length", "0"));
        assertThat(reader.reusable()).isTrue();
    }

    @Test
    void shouldTakeAHeadOfExactly64KiB() throws IOException {
        Wire.Fed fed = feed(headOfLength(ResponseReader.MAX_HEAD) + NEXT);

        assertThat(fed.completeBeforeEnd()).isTrue();
        assertThat(fed.unread()).isEqualTo(bytes(NEXT));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("HTTP/2 200 OK\r\n\r\n", "not HTTP/1.x"),
                Arguments.of("ICY 200 OK\r\n\r\n", "not HTTP at all"),
                Arguments.of("HTTP/1.1 20 OK\r\n\r\n", "two-digit status"),
                Arguments.of("HTTP/1.1 2000 OK\r\n\r\n", "four-digit status"),
                Arguments.of("HTTP/1.1 2x0 OK\r\n\r\n", "status not digits"),
                Arguments.of("HTTP/1.1 099 Low\r\n\r\n", "status below 100"),
                Arguments.of("HTTP/1.1 200OK\r\n\r\n", "no space after the status"),
                Arguments.of("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "header without colon"),
                Arguments.of("HTTP/1.1 200 OK\r\n: no name\r\n\r\n", "header without name"),
                Arguments.of("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "space in the header name"),
                Arguments.of("HTTP/1.1 200 OK\r\nName : x\r\n\r\n", "space before the colon"),
                Arguments.of("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", "obsolete line folding"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "negative Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", "garbage Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 5 5\r\n\r\nhello", "two numbers"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", "signed Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: -0\r\n\r\n", "negative zero"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "too long"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                        "conflicting Content-Lengths"),
                Arguments.of(chunked("zz\r\n"), "chunk size not hex"),
                Arguments.of(chunked("\r\n"), "empty chunk size"),
                Arguments.of(chunked("-1\r\n"), "negative chunk size"),
                Arguments.of(chunked("+5\r\nhello\r\n0\r\n\r\n"), "signed chunk size"),
                Arguments.of(chunked("0x5\r\nhello\r\n0\r\n\r\n"), "0x before the chunk size"),
                Arguments.of(chunked("1;" + "x".repeat(5000) + "\r\n"), "chunk extension too long"),
                Arguments.of(chunked("3\r\nabcd\r\n0\r\n\r\n"), "chunk longer than its size"),
                Arguments.of(headOfLength(ResponseReader.MAX_HEAD + 1), "head over 64 KiB"),
                Arguments.of("HTTP/1.1 200 OK\r\nX: " + "v".repeat(ResponseReader.MAX_HEAD) + "\r\n\r\n",
                        "one line over 64 KiB"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void shouldRefuseWhatIsNotAnHttpResponse(String wire, String what) {
        byte[] bytes = bytes(wire);
        assertThatThrownBy(() -> Wire.feed(reader, bytes, List.of())).isInstanceOf(ProtocolException.class);
        reader = new ResponseReader(false, LIMIT);
        assertThatThrownBy(() -> Wire.feed(reader, bytes, everyByte(bytes))).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "HTTP/1.1 200 OK\r\nContent-Le",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: 1\r\n",
        "HTTP/1.1 100 Continue\r\n\r\n"})
    void shouldCallAnAnswerCutShortByTheEndOfTheStreamAnEof(String wire) {
        assertThatThrownBy(() -> feed(wire)).isInstanceOf(EOFException.class);
    }

    @Test
    void shouldTakeTheEndOfTheStreamAfterACompleteAnswerCalmly() throws IOException {
        assertThat(reader.read(ByteBuffer.wrap(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")))).isTrue();

        reader.endOfStream();

        assertThat(reader.response().body()).isEqualTo(bytes("ok"));
    }

    private static String chunked(String body) {
        return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
    }

    /** A complete 200 head (status line to the empty line) of exactly {@code length} bytes. */
    private static String headOfLength(int length) {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n");
        String filler = "X-Filler: " + "f".repeat(1000) + "\r\n";
        while (head.length() + filler.length() + "X: \r\n\r\n".length() <= length) {
            head.append(filler);
        }
        String last = "f".repeat(length - head.length() - "X: \r\n\r\n".length());
        String complete = head + "X: " + last + "\r\n\r\n";
        assertThat(complete).hasSize(length);
        return complete;
    }
}
