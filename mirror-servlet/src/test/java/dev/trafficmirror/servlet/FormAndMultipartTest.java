package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bodies the container parses itself, on Jetty and Tomcat: forms read through getParameter* and
 * multipart read through getParts(). The application always sees what it sees without the filter.
 * A parsed form is rebuilt from its parameters, a parsed multipart body from its parts; both are
 * counted in {@code mirror.body.rebuilt}.
 */
class FormAndMultipartTest {

    private static final Apps apps = new Apps();
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String FORM_BODY = "a=b1&b=2&a=b3&c=%E2%9C%93&d=+x+y%2B&e&=v&f=&g=%C3%A9t%C3%A9";

    @AfterAll
    static void stopApps() throws Exception {
        apps.close();
    }

    private static RawHttp.Request form(String id, String method, String pathAndQuery, String contentType) {
        return new RawHttp.Request(method, pathAndQuery).header("X-Request-Id", id).header("Content-Type", contentType)
                .body(FORM_BODY);
    }

    /**
     * The copy of a form the container parsed: checked by giving it to the application without the
     * filter, with the same target and headers, and comparing what that application observes.
     */
    private static MirrorRequest assertParsesLikeTheOriginal(SideBySide app, SideBySide.Answers answers,
            RawHttp.Request original) throws Exception {
        MirrorRequest copy = app.copy(answers.id());
        RawHttp.Response replayed = original.body(copy.bodyBytes()).send(app.plain.port());
        assertThat(replayed.text()).as("what the application observes of the copy").isEqualTo(answers.plain().text());
        return copy;
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildAParsedFormFromItsParametersWithoutTheQuerys(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        for (String contentType : List.of(FORM + "; charset=UTF-8", FORM, "Application/X-WWW-Form-Urlencoded ;charset=utf-8")) {
            Map<Reason, Double> before = app.counts();
            double rebuiltBefore = app.rebuilt("form");
            if (kind == ServletContainer.Kind.UNDERTOW && !contentType.startsWith(FORM)) {
                // Undertow parses only the media type written in lower case: the body stays to be read.
                SideBySide.Answers unparsed = app.send(id -> form(id, "POST", "/params?a=q1", contentType)).same();
                assertThat(unparsed.mirrored().text()).doesNotContain("param b=");
                assertThat(app.copy(unparsed.id()).bodyBytes()).isEqualTo(FORM_BODY.getBytes(StandardCharsets.US_ASCII));
                continue;
            }

            SideBySide.Answers answers = app.send(id -> form(id, "POST", "/params?a=q1&z=%C3%A9&a=q2", contentType))
                    .same();

            assertThat(answers.mirrored().text()).contains("param b=2").contains("values-a=q1 | q2 | b1 | b3");
            MirrorRequest copy = assertParsesLikeTheOriginal(app, answers,
                    form(SideBySide.newId(), "POST", "/params?a=q1&z=%C3%A9&a=q2", contentType));
            assertThat(copy.query()).isEqualTo("a=q1&z=%C3%A9&a=q2");
            assertThat(new String(copy.bodyBytes(), StandardCharsets.US_ASCII)).doesNotContain("q1").doesNotContain("z=");
            app.awaitOneMore(before, Reason.NONE);
            assertThat(app.rebuilt("form") - rebuiltBefore).isEqualTo(1);
        }
    }

    /**
     * Forms as browsers, OkHttp and Spring's clients write them, and as curl --data-urlencode does:
     * byte for byte, except on Undertow, whose parameters come in no particular order: there the
     * copy parses into the same parameters.
     */
    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildTheExactBytesOfTheFormsClientsWrite(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        List<String> bodies = List.of(
                // HTML's serializer (browsers), URLEncoder (Spring's RestClient, RestTemplate, WebClient), OkHttp's FormBody
                "user=jane.doe%40example.com&password=p%40ss+w%C3%B6rd%21*-._%7E&remember=on&remember=yes&empty=",
                "grant_type=client_credentials&scope=read+write&client_id=abc-123_x.y",
                // curl --data-urlencode, encodeURIComponent
                "q=caf%C3%A9%20au%20lait~&n=1");
        for (String body : bodies) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> form(id, "POST", "/params?source=web", FORM + "; charset=UTF-8")
                    .body(body)).same();

            assertExactOrInAnyOrder(kind, app, answers, form(SideBySide.newId(), "POST", "/params?source=web",
                    FORM + "; charset=UTF-8").body(body), body);
            app.awaitOneMore(before, Reason.NONE);
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildAFormInTheCharsetTheContainerDecodedItWith(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        for (String encoding : List.of("UTF-8", "ISO-8859-1")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> form(id, "POST", "/params", FORM)
                    .header("X-Probe-Encoding", encoding)).same();

            assertThat(answers.mirrored().text()).contains("param g=");
            assertParsesLikeTheOriginal(app, answers, form(SideBySide.newId(), "POST", "/params", FORM)
                    .header("X-Probe-Encoding", encoding));
            app.awaitOneMore(before, Reason.NONE);
        }
        // The charset of the Content-Type.
        Map<Reason, Double> before = app.counts();
        SideBySide.Answers latin = app.send(id -> form(id, "POST", "/params", FORM + "; charset=ISO-8859-1")).same();
        assertThat(latin.mirrored().text()).contains("param g=\\u00c3\\u00a9t\\u00c3\\u00a9");
        assertParsesLikeTheOriginal(app, latin, form(SideBySide.newId(), "POST", "/params", FORM + "; charset=ISO-8859-1"));
        app.awaitOneMore(before, Reason.NONE);
        // No charset anywhere: the container's default.
        // Tomcat decodes ISO-8859-1, Jetty UTF-8: read with the other charset, the copy would differ.
        String body = "name=Fran%C3%A7ois&city=K%C3%B6ln";
        SideBySide.Answers answers = app.send(id -> form(id, "POST", "/params", FORM).body(body)).same();
        assertExactOrInAnyOrder(kind, app, answers, form(SideBySide.newId(), "POST", "/params", FORM).body(body), body);
    }

    /** The copy is {@code body}; on Undertow, whose parameters have no order, a body parsed the same. */
    private static void assertExactOrInAnyOrder(ServletContainer.Kind kind, SideBySide app, SideBySide.Answers answers,
            RawHttp.Request original, String body) throws Exception {
        MirrorRequest copy = assertParsesLikeTheOriginal(app, answers, original);
        if (kind == ServletContainer.Kind.UNDERTOW) {
            assertThat(new String(copy.bodyBytes(), StandardCharsets.US_ASCII).split("&"))
                    .containsExactlyInAnyOrder(body.split("&"));
        } else {
            assertThat(new String(copy.bodyBytes(), StandardCharsets.US_ASCII)).isEqualTo(body);
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildTheFormWhenTheApplicationReadsTheStreamAfterTheParameters(ServletContainer.Kind kind)
            throws Exception {
        SideBySide app = apps.of(kind);
        for (String path : List.of("/params/then-stream", "/params/then-reader")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> form(id, "POST", path + "?q=1", FORM)).same();

            assertThat(answers.mirrored().text()).contains("param b=2");
            assertParsesLikeTheOriginal(app, answers, form(SideBySide.newId(), "POST", path + "?q=1", FORM));
            app.awaitOneMore(before, Reason.NONE);
        }
    }

    /** {@link MirrorFilter.Forms#SKIP}: only exact bytes, so a parsed form is counted, not mirrored. */
    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldCountAParsedFormAsConsumedWhenFormsAreSkipped(ServletContainer.Kind kind) throws Exception {
        try (SideBySide app = SideBySide.start(kind, Apps.CAP, MirrorFilter.Forms.SKIP, deployment -> deployment)) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> form(id, "POST", "/params?a=q1", FORM)).same();

            assertThat(answers.mirrored().text()).contains("param b=2");
            app.awaitOneMore(before, Reason.BODY_CONSUMED);
            assertThat(app.find(answers.id())).isEmpty();
            assertThat(app.rebuilt("form")).isZero();

            SideBySide.Answers read = app.send(id -> form(id, "POST", "/stream/all", FORM)).same();
            assertThat(app.copy(read.id()).bodyBytes()).isEqualTo(FORM_BODY.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldNotRebuildAFormOverTheCap(ServletContainer.Kind kind) throws Exception {
        try (SideBySide app = SideBySide.start(kind, 64, MirrorFilter.Forms.REBUILD, deployment -> deployment)) {
            Map<Reason, Double> before = app.counts();
            // 60 bytes sent, chunked, within the cap; rebuilt the browsers' way ("~" is %7E) they are 168.
            String body = "a=" + "~".repeat(55) + "%2A";

            SideBySide.Answers answers = app.send(id -> form(id, "POST", "/params", FORM).chunked(16).body(body)).same();

            assertThat(answers.mirrored().text()).contains("param a=");
            app.awaitOneMore(before, Reason.BODY_TOO_LARGE);
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorAFormTheApplicationReadItselfOrNotAtAll(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        for (String path : List.of("/params/after-stream", "/stream/all", "/ignore")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> form(id, "POST", path + "?a=q1", FORM)).same();

            assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(FORM_BODY.getBytes(StandardCharsets.US_ASCII));
            app.awaitOneMore(before, Reason.NONE);
        }
        SideBySide.Answers queryOnly = app.send(id -> form(id, "POST", "/params/after-stream?a=q1", FORM)).same();
        assertThat(queryOnly.mirrored().text()).contains("values-a=q1\n").doesNotContain("param b=");
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldSeeAChunkedFormAsTheContainerDoes(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> form(id, "POST", "/params", FORM).chunked(7)).same();

        assertThat(answers.mirrored().text()).contains("param b=2");
        assertParsesLikeTheOriginal(app, answers, form(SideBySide.newId(), "POST", "/params", FORM));
        app.awaitOneMore(before, Reason.NONE);
    }

    /**
     * Whether a PUT form is parsed is the container's choice (Jetty parses POST and PUT, Tomcat only
     * POST): the filter asks nothing, mirrors the bytes whenever they are still there to read, and
     * rebuilds the form where the container parsed it.
     */
    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorAPutFormExactlyWhereTheContainerLeavesItsBody(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> form(id, "PUT", "/params?a=q1", FORM)).same();

        if (kind == ServletContainer.Kind.TOMCAT) {
            assertThat(answers.mirrored().text()).doesNotContain("param b=");
            assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(FORM_BODY.getBytes(StandardCharsets.US_ASCII));
            app.awaitOneMore(before, Reason.NONE);
        } else {
            assertThat(answers.mirrored().text()).contains("param b=2");
            assertParsesLikeTheOriginal(app, answers, form(SideBySide.newId(), "PUT", "/params?a=q1", FORM));
            app.awaitOneMore(before, Reason.NONE);
        }
    }

    /**
     * Why the filter does not parse forms itself: the containers disagree on the same bytes, so one
     * parser cannot stand in for both, and neither's rules (nor its configured limits) can be read
     * through the servlet API.
     */
    @Test
    void shouldShowThatTheContainersParseTheSameFormDifferently() throws Exception {
        SideBySide jetty = apps.of(ServletContainer.Kind.JETTY);
        SideBySide tomcat = apps.of(ServletContainer.Kind.TOMCAT);
        String body = "a=%zz&b=2&c=%C3";

        SideBySide.Answers onJetty = jetty.send(id -> form(id, "POST", "/params", FORM + "; charset=UTF-8").body(body))
                .same();
        SideBySide.Answers onTomcat = tomcat.send(id -> form(id, "POST", "/params", FORM + "; charset=UTF-8").body(body))
                .same();

        assertThat(onJetty.plain().text())
                .contains("failed=org.eclipse.jetty.http.BadMessageException: 400: Unable to parse form content");
        assertThat(onTomcat.plain().text()).contains("param b=2").doesNotContain("param a=").doesNotContain("failed");
    }

    // ---- multipart ----

    private static final String BOUNDARY = "----trafficmirror7MA4YWxkTrZu0gW";

    /** A multipart body written as browsers, curl and OkHttp write it. */
    private static byte[] canonicalMultipart() {
        return new Multipart(BOUNDARY)
                .part("Content-Disposition: form-data; name=\"text\"", "hello \u00e9".getBytes(StandardCharsets.UTF_8))
                .part("Content-Disposition: form-data; name=\"empty\"", new byte[0])
                .part("Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream",
                        Apps.randomBytes(40_000, 3))
                .part("Content-Disposition: form-data; name=\"text\"", "second".getBytes(StandardCharsets.UTF_8))
                .toByteArray();
    }

    private static RawHttp.Request multipart(String id, String path, byte[] body) {
        return new RawHttp.Request("POST", path).header("X-Request-Id", id)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(body);
    }

    /**
     * Undertow parses multipart bodies from the request's stream as the filter chain passed it, the
     * tee: the copy carries the bytes themselves, and nothing needs rebuilding.
     */
    private static boolean readsPartsThroughTheTee(ServletContainer.Kind kind) {
        return kind == ServletContainer.Kind.UNDERTOW;
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildTheExactBodyFromTheParts(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] body = canonicalMultipart();
        for (String path : List.of("/parts", "/params")) {
            Map<Reason, Double> before = app.counts();
            double rebuiltBefore = app.rebuilt("multipart");

            SideBySide.Answers answers = app.send(id -> multipart(id, path, body)).same();

            assertThat(answers.mirrored().text()).contains("text");
            assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(body);
            app.awaitOneMore(before, Reason.NONE);
            assertThat(app.rebuilt("multipart") - rebuiltBefore).isEqualTo(readsPartsThroughTheTee(kind) ? 0 : 1);
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildAFileNameBeyondAsciiInTheBytesTheClientSent(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] body = new Multipart(BOUNDARY)
                .part("Content-Disposition: form-data; name=\"file\"; filename=\"r\u00e9sum\u00e9 \u2713.txt\"",
                        "cv".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .toByteArray();
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> multipart(id, "/parts", body)).same();

        assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(body);
        app.awaitOneMore(before, Reason.NONE);
    }

    /**
     * A file name in ISO-8859-1 bytes: both containers decode part headers as UTF-8, whatever the
     * request's charset, so the byte turns into U+FFFD; the copy is a body the container parses
     * into the same parts.
     */
    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildAFileNameThatIsNotUtf8IntoTheSameParts(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] body = new Multipart(BOUNDARY)
                .part("Content-Disposition: form-data; name=\"file\"; filename=\"caf\u00e9.txt\"",
                        "menu".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                .toByteArray();
        String contentType = "multipart/form-data; charset=ISO-8859-1; boundary=" + BOUNDARY;

        SideBySide.Answers answers = app.send(id -> multipart(id, "/parts", body).header("Content-Type", contentType))
                .same();

        MirrorRequest copy = app.copy(answers.id());
        if (readsPartsThroughTheTee(kind)) {
            // Undertow decodes part headers with the request's charset.
            assertThat(answers.mirrored().text()).contains("part file file=caf\\u00e9.txt");
            assertThat(copy.bodyBytes()).isEqualTo(body);
            return;
        }
        assertThat(answers.mirrored().text()).contains("part file file=caf\\ufffd.txt");
        assertThat(copy.bodyBytes()).isNotEqualTo(body);
        RawHttp.Response replayed = multipart(SideBySide.newId(), "/parts", copy.bodyBytes())
                .header("Content-Type", contentType).send(app.plain.port());
        assertThat(replayed.text()).isEqualTo(answers.plain().text());
    }

    /**
     * A preamble, lower-case header names, no space after the colon and an epilogue are lost in
     * parsing: the copy is a body the container parses into the same parts, checked by giving it to
     * the application without the filter.
     */
    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildAnUnusualBodyIntoOneWithTheSameParts(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] unusual = BodyReadingTest.concat(("This is the preamble.\r\n").getBytes(StandardCharsets.US_ASCII),
                BodyReadingTest.concat(new Multipart(BOUNDARY)
                        .part("content-disposition:form-data; name=\"text\"", "plain".getBytes(StandardCharsets.UTF_8))
                        .part("CONTENT-DISPOSITION: form-data; name=\"file\"; filename=\"x.txt\"\r\ncontent-type: text/plain",
                                "file content".getBytes(StandardCharsets.UTF_8))
                        .toByteArray(), "epilogue".getBytes(StandardCharsets.US_ASCII)));
        double rebuiltBefore = app.rebuilt("multipart");

        SideBySide.Answers answers = app.send(id -> multipart(id, "/parts", unusual)).same();

        MirrorRequest copy = app.copy(answers.id());
        if (readsPartsThroughTheTee(kind)) {
            assertThat(copy.bodyBytes()).isEqualTo(unusual);
            return;
        }
        assertThat(copy.bodyBytes()).isNotEqualTo(unusual);
        assertThat(copy.header("Content-Type")).isEqualTo("multipart/form-data; boundary=" + BOUNDARY);
        RawHttp.Response replayed = multipart(SideBySide.newId(), "/parts", copy.bodyBytes()).send(app.plain.port());
        assertThat(replayed.text()).isEqualTo(answers.plain().text());
        assertThat(app.rebuilt("multipart") - rebuiltBefore).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldRebuildAChunkedMultipartBody(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] body = canonicalMultipart();
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> multipart(id, "/parts", body).chunked(1000)).same();

        assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(body);
        app.awaitOneMore(before, Reason.NONE);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldNotRebuildAChunkedMultipartBodyOverTheCap(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] body = new Multipart(BOUNDARY)
                .part("Content-Disposition: form-data; name=\"file\"; filename=\"big.bin\"", Apps.randomBytes((int) Apps.CAP, 5))
                .toByteArray();
        Map<Reason, Double> before = app.counts();
        double rebuiltBefore = app.rebuilt("multipart");

        SideBySide.Answers answers = app.send(id -> multipart(id, "/parts", body).chunked(65_536)).same();

        assertThat(answers.mirrored().text()).contains("part file size=" + Apps.CAP);
        app.awaitOneMore(before, Reason.BODY_TOO_LARGE);
        assertThat(app.rebuilt("multipart")).isEqualTo(rebuiltBefore);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorTheOriginalMultipartBytesWhenTheApplicationDoesNotParseThem(ServletContainer.Kind kind)
            throws Exception {
        SideBySide app = apps.of(kind);
        byte[] body = canonicalMultipart();
        double rebuiltBefore = app.rebuilt("multipart");
        for (String path : List.of("/ignore", "/stream/all")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> multipart(id, path, body)).same();

            assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(body);
            app.awaitOneMore(before, Reason.NONE);
        }
        assertThat(app.rebuilt("multipart")).isEqualTo(rebuiltBefore);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldSeeAMalformedMultipartBodyAsTheContainerDoes(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        byte[] truncated = "------trafficmirror7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"
                .getBytes(StandardCharsets.US_ASCII);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> multipart(id, "/parts", truncated)).same();

        assertThat(answers.mirrored().text()).startsWith("failed=");
        app.awaitOneMore(before, readsPartsThroughTheTee(kind) ? Reason.NONE : Reason.BODY_CONSUMED);
    }

    /** Writes multipart bodies part by part, the canonical way. */
    static final class Multipart {
        private final String boundary;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Multipart(String boundary) {
            this.boundary = boundary;
        }

        Multipart part(String headers, byte[] content) {
            return part(headers, content, StandardCharsets.ISO_8859_1);
        }

        Multipart part(String headers, byte[] content, java.nio.charset.Charset headerCharset) {
            body.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            body.writeBytes((headers + "\r\n\r\n").getBytes(headerCharset));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        byte[] toByteArray() {
            ByteArrayOutputStream closed = new ByteArrayOutputStream();
            closed.writeBytes(body.toByteArray());
            closed.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return closed.toByteArray();
        }
    }
}
