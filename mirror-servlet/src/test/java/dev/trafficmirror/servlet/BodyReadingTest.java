package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way an application reads a body through the stream or the reader, on Jetty and Tomcat: the
 * application observes exactly what it observes without the filter, and the copy carries the
 * original bytes.
 */
class BodyReadingTest {

    private static final Apps apps = new Apps();
    private static final byte[] BODY = Apps.randomBytes(50_000, 7);

    private static final Apps appsWithDefaultEncoding = new Apps(deployment -> deployment.requestEncoding("UTF-8"));

    @AfterAll
    static void stopApps() throws Exception {
        apps.close();
        appsWithDefaultEncoding.close();
    }

    private static RawHttp.Request post(String id, String path) {
        return new RawHttp.Request("POST", path).header("X-Request-Id", id);
    }

    private static MirrorRequest mirroredExactly(SideBySide app, SideBySide.Answers answers, byte[] body) {
        MirrorRequest copy = app.copy(answers.id());
        assertThat(copy.bodyBytes()).as("the copy's body").isEqualTo(body);
        return copy;
    }

    static Stream<Arguments> streamReads() {
        List<Arguments> reads = new ArrayList<>();
        for (ServletContainer.Kind kind : ServletContainer.Kind.values()) {
            for (boolean chunked : new boolean[] {false, true}) {
                reads.add(Arguments.of(kind, "/stream/byte", "Size", 0, chunked));
                reads.add(Arguments.of(kind, "/stream/array", "Size", 1000, chunked));
                reads.add(Arguments.of(kind, "/stream/range", "Size", 777, chunked));
                reads.add(Arguments.of(kind, "/stream/all", "Size", 0, chunked));
                reads.add(Arguments.of(kind, "/stream/n", "Size", 4096, chunked));
                reads.add(Arguments.of(kind, "/stream/skip", "Skip", 100, chunked));
                reads.add(Arguments.of(kind, "/stream/available", "Size", 0, chunked));
                reads.add(Arguments.of(kind, "/stream/line", "Size", 80, chunked));
            }
        }
        return reads.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}={3} chunked={4}")
    @MethodSource("streamReads")
    void shouldTeeEveryStreamReadingMethod(ServletContainer.Kind kind, String path, String setting, int value,
            boolean chunked) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> {
            RawHttp.Request request = post(id, path).header("X-Probe-" + setting, String.valueOf(value))
                    .header("X-Probe-Size", path.equals("/stream/skip") ? "300" : String.valueOf(value))
                    .header("X-Probe-Offset", "3").body(BODY);
            return chunked ? request.chunked(3000) : request;
        }).same();

        assertThat(answers.mirrored().text()).contains("same-stream=true").contains("after-end=-1");
        mirroredExactly(app, answers, BODY);
        app.awaitOneMore(before, Reason.NONE);
    }

    static Stream<Arguments> texts() {
        byte[] utf8 = "h\u00e9llo w\u00f6rld \u2713 \ud834\udd1e\nline two\r\nline three\rend".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "caf\u00e9 \u00bd \u00ff\r\n\u00e0 la carte".getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf16WithBom = "\u00e9t\u00e9 \u2713 \ud834\udd1e\nsecond".getBytes(StandardCharsets.UTF_16);
        byte[] utf16LittleWithBom = concat(new byte[] {(byte) 0xff, (byte) 0xfe},
                "little \u2713\nend".getBytes(StandardCharsets.UTF_16LE));
        byte[] utf16Big = "big \u2713\nend".getBytes(StandardCharsets.UTF_16BE);
        byte[] invalidUtf8 = {'a', (byte) 0xc3, '(', 'b', (byte) 0xed, (byte) 0xa0, (byte) 0x80, 'c', (byte) 0xc0,
                (byte) 0xaf, (byte) 0x80, '\n', 'd', (byte) 0xf0, (byte) 0x9f, (byte) 0x98};
        byte[] high = new byte[256];
        for (int i = 0; i < high.length; i++) {
            high[i] = (byte) i;
        }
        byte[] json = "{\"name\":\"J\u00fcrgen \u2713\"}".getBytes(StandardCharsets.UTF_8);
        List<Arguments> texts = new ArrayList<>();
        for (ServletContainer.Kind kind : ServletContainer.Kind.values()) {
            for (String path : List.of("/reader/chars", "/reader/char", "/reader/lines")) {
                texts.add(Arguments.of(kind, path, "text/plain; charset=UTF-8", null, utf8));
                texts.add(Arguments.of(kind, path, "text/plain; charset=ISO-8859-1", null, latin1));
                texts.add(Arguments.of(kind, path, "text/plain; charset=UTF-16", null, utf16WithBom));
                texts.add(Arguments.of(kind, path, "text/plain; charset=UTF-16", null, utf16LittleWithBom));
                texts.add(Arguments.of(kind, path, "text/plain;charset=\"UTF-16BE\"", null, utf16Big));
                texts.add(Arguments.of(kind, path, "text/plain; charset=utf-8", null, invalidUtf8));
                texts.add(Arguments.of(kind, path, "application/octet-stream", null, high));
                texts.add(Arguments.of(kind, path, "application/json", null, json));
                texts.add(Arguments.of(kind, path, "text/plain", "UTF-8", utf8));
                texts.add(Arguments.of(kind, path, "text/plain; charset=ISO-8859-1", "UTF-16BE", utf16Big));
            }
        }
        return texts.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} set={3}")
    @MethodSource("texts")
    void shouldDecodeAsTheContainerWouldAndMirrorTheOriginalBytes(ServletContainer.Kind kind, String path,
            String contentType, String setEncoding, byte[] body) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> {
            RawHttp.Request request = post(id, path).header("Content-Type", contentType).header("X-Probe-Size", "7")
                    .body(body);
            return setEncoding == null ? request : request.header("X-Probe-Encoding", setEncoding);
        }).same();

        assertThat(answers.mirrored().text()).contains("same-reader=true").contains("stream-after-reader="
                + IllegalStateException.class.getName());
        mirroredExactly(app, answers, body);
        app.awaitOneMore(before, Reason.NONE);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldCloseTheReaderAsTheContainerDoes(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> post(id, "/reader/closed").body("abc")).same();

        // Jetty's reader only closes the stream and goes on reading what it holds; Tomcat's is closed.
        assertThat(answers.mirrored().text()).contains(kind == ServletContainer.Kind.JETTY ? "read-after-close=98"
                : "read-after-close=java.io.IOException: Stream closed");
        app.awaitOneMore(before, Reason.NONE);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldLetTheContainerRefuseAnUnknownCharset(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();
        byte[] body = "whatever".getBytes(StandardCharsets.US_ASCII);

        SideBySide.Answers answers = app.send(id -> post(id, "/reader/chars")
                .header("Content-Type", "text/plain; charset=x-no-such-charset").body(body)).same();

        assertThat(answers.mirrored().text()).contains("reader=java.io.UnsupportedEncodingException");
        if (kind == ServletContainer.Kind.TOMCAT) {
            // Tomcat's failed getReader() leaves the request reading characters: no one can read the
            // bytes afterwards, the filter included.
            app.awaitOneMore(before, Reason.BODY_UNAVAILABLE);
            assertThat(app.find(answers.id())).isEmpty();
        } else {
            mirroredExactly(app, answers, body);
            app.awaitOneMore(before, Reason.NONE);
        }
    }

    /**
     * With a context default request encoding and no charset in the Content-Type, Tomcat's reader
     * decodes with the default and Jetty's with ISO-8859-1, though both report the default as the
     * request's encoding. Off Tomcat the filter cannot tell which, so the application gets the
     * container's own reader and the body is not mirrored.
     */
    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldReadAsTheContainerDoesUnderAContextDefaultEncoding(ServletContainer.Kind kind) throws Exception {
        SideBySide app = appsWithDefaultEncoding.of(kind);
        byte[] text = "d\u00e9faut \u2713".getBytes(StandardCharsets.UTF_8);
        for (String contentType : List.of("text/plain", "text/plain; charset=UTF-8")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> post(id, "/reader/chars").header("Content-Type", contentType)
                    .header("X-Probe-Size", "3").body(text)).same();

            assertThat(answers.mirrored().text()).contains("encoding=UTF-8");
            if (kind == ServletContainer.Kind.JETTY && contentType.equals("text/plain")) {
                app.awaitOneMore(before, Reason.BODY_UNAVAILABLE);
            } else {
                mirroredExactly(app, answers, text);
                app.awaitOneMore(before, Reason.NONE);
            }
        }
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @MethodSource("kindsAndFramings")
    void shouldMirrorTheWholeBodyTheApplicationNeverRead(ServletContainer.Kind kind, boolean chunked) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> chunked ? post(id, "/ignore").body(BODY).chunked(5000)
                : post(id, "/ignore").body(BODY)).same();

        mirroredExactly(app, answers, BODY);
        app.awaitOneMore(before, Reason.NONE);
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @MethodSource("kindsAndFramings")
    void shouldMirrorTheWholeBodyWhenTheApplicationReadOnlyPart(ServletContainer.Kind kind, boolean chunked)
            throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> {
            RawHttp.Request request = post(id, "/partial").header("X-Probe-Bytes", "1234").body(BODY);
            return chunked ? request.chunked(999) : request;
        }).same();

        assertThat(answers.mirrored().text()).contains("read=1234:");
        mirroredExactly(app, answers, BODY);
        app.awaitOneMore(before, Reason.NONE);
    }

    static Stream<Arguments> kindsAndFramings() {
        return Stream.of(ServletContainer.Kind.values())
                .flatMap(kind -> Stream.of(Arguments.of(kind, false), Arguments.of(kind, true)));
    }

    static Stream<Arguments> emptyBodies() {
        List<Arguments> empty = new ArrayList<>();
        for (ServletContainer.Kind kind : ServletContainer.Kind.values()) {
            empty.add(Arguments.of(kind, "POST", "length"));
            empty.add(Arguments.of(kind, "POST", "chunked"));
            empty.add(Arguments.of(kind, "GET", "none"));
            empty.add(Arguments.of(kind, "HEAD", "none"));
            empty.add(Arguments.of(kind, "OPTIONS", "none"));
            empty.add(Arguments.of(kind, "DELETE", "length"));
        }
        return empty.stream();
    }

    @ParameterizedTest(name = "{0} {1} framing={2}")
    @MethodSource("emptyBodies")
    void shouldMirrorEmptyBodiesWithTheirMethod(ServletContainer.Kind kind, String method, String framing)
            throws Exception {
        SideBySide app = apps.of(kind);
        for (String path : List.of("/stream/all", "/ignore")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> {
                RawHttp.Request request = new RawHttp.Request(method, path).header("X-Request-Id", id);
                return framing.equals("chunked") ? request.chunked(10) : framing.equals("none") ? request.unframed()
                        : request;
            }).same();

            MirrorRequest copy = mirroredExactly(app, answers, new byte[0]);
            assertThat(copy.method()).isEqualTo(method);
            assertThat(copy.path()).isEqualTo(path);
            app.awaitOneMore(before, Reason.NONE);
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldPassAGzipBodyThroughAsItsRawBytes(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write("{\"compressed\":true}".repeat(500).getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = zipped.toByteArray();
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> post(id, "/stream/all").header("Content-Encoding", "gzip")
                .header("Content-Type", "application/json").body(body)).same();

        assertThat(answers.mirrored().text()).contains("read=" + ProbeServlet.describe(body));
        MirrorRequest copy = mirroredExactly(app, answers, body);
        assertThat(copy.header("Content-Encoding")).isEqualTo("gzip");
        app.awaitOneMore(before, Reason.NONE);
    }

    /** The client sends the head, waits for 100 Continue, and only then the body. */
    private static List<RawHttp.Response> expectContinue(int port, String path, String id, byte[] body)
            throws IOException {
        List<RawHttp.Response> answers = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: primary.test\r\nX-Request-Id: " + id
                    + "\r\nExpect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawHttp.Response answer = RawHttp.read(in);
            answers.add(answer);
            if (answer.status() == 100) {
                if (!path.equals("/ignore")) {
                    out.write(body);
                    out.flush();
                }
                answers.add(RawHttp.read(in));
            }
        }
        return answers;
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorAnExpectContinueBodyTheApplicationRead(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();
        String id = SideBySide.newId();

        List<RawHttp.Response> plain = expectContinue(app.plain.port(), "/stream/all", SideBySide.newId(), BODY);
        List<RawHttp.Response> mirrored = expectContinue(app.mirrored.port(), "/stream/all", id, BODY);

        assertThat(statuses(mirrored)).isEqualTo(statuses(plain)).containsExactly(100, 200);
        assertThat(mirrored.get(1).text()).isEqualTo(plain.get(1).text());
        assertThat(app.copy(id).bodyBytes()).isEqualTo(BODY);
        app.awaitOneMore(before, Reason.NONE);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldNeverSendAContinueTheApplicationDidNotAskFor(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();
        String id = SideBySide.newId();

        List<RawHttp.Response> plain = expectContinue(app.plain.port(), "/ignore", SideBySide.newId(), BODY);
        List<RawHttp.Response> mirrored = expectContinue(app.mirrored.port(), "/ignore", id, BODY);

        // Tomcat answers 100 as soon as the head arrives; Jetty only once the application reads.
        assertThat(statuses(mirrored)).isEqualTo(statuses(plain))
                .isEqualTo(kind == ServletContainer.Kind.TOMCAT ? List.of(100, 200) : List.of(200));
        app.awaitOneMore(before, Reason.BODY_UNAVAILABLE);
        assertThat(app.find(id)).isEmpty();
    }

    private static List<Integer> statuses(List<RawHttp.Response> responses) {
        return responses.stream().map(RawHttp.Response::status).toList();
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @MethodSource("kindsAndFramings")
    void shouldMirrorABodyOfExactlyTheCap(ServletContainer.Kind kind, boolean chunked) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] atCap = Apps.randomBytes((int) Apps.CAP, 11);
        for (String path : List.of("/stream/all", "/ignore")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> chunked ? post(id, path).body(atCap).chunked(65_536)
                    : post(id, path).body(atCap)).same();

            mirroredExactly(app, answers, atCap);
            app.awaitOneMore(before, Reason.NONE);
        }
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @MethodSource("kindsAndFramings")
    void shouldNotMirrorABodyOneByteOverTheCap(ServletContainer.Kind kind, boolean chunked) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] overCap = Apps.randomBytes((int) Apps.CAP + 1, 13);
        for (String path : List.of("/stream/all", "/ignore")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> chunked ? post(id, path).body(overCap).chunked(65_536)
                    : post(id, path).body(overCap)).same();

            app.awaitOneMore(before, Reason.BODY_TOO_LARGE);
            assertThat(app.find(answers.id())).isEmpty();
        }
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
