package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Asynchronous requests and non-blocking reads, on Jetty and Tomcat: the application observes what
 * it observes without the filter, each request is mirrored once, after completion, and the filter
 * forgets the request when it completes.
 */
class AsyncBodyTest {

    private static final Apps apps = new Apps();
    private static final byte[] BODY = Apps.randomBytes(200_000, 17);

    @AfterAll
    static void stopApps() throws Exception {
        apps.close();
    }

    private static RawHttp.Request post(String id, String path, boolean chunked, long writeSeed) {
        RawHttp.Request request = new RawHttp.Request("POST", path).header("X-Request-Id", id).body(BODY)
                .randomWrites(writeSeed, 30_000);
        return chunked ? request.chunked(4096) : request;
    }

    static Stream<Arguments> readingPaths() {
        List<Arguments> paths = new ArrayList<>();
        for (ServletContainer.Kind kind : ServletContainer.Kind.values()) {
            for (String path : List.of("/async/listener", "/async/thread", "/async/start", "/async/dispatch",
                    "/async/wrapped-dispatch")) {
                paths.add(Arguments.of(kind, path, false));
                paths.add(Arguments.of(kind, path, true));
            }
        }
        return paths.stream();
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("readingPaths")
    void shouldMirrorOnceAfterCompletionWhateverThreadReads(ServletContainer.Kind kind, String path, boolean chunked)
            throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> post(id, path, chunked, id.hashCode())).same();

        assertThat(answers.mirrored().text()).contains(ProbeServlet.describe(BODY))
                .contains(path.endsWith("dispatch") ? "dispatch=ASYNC" : "async-context-same=true");
        MirrorRequest copy = app.copy(answers.id());
        assertThat(copy.bodyBytes()).isEqualTo(BODY);
        app.awaitOneMore(before, Reason.NONE);
        await().untilAsserted(() -> assertThat(app.filter.asyncRequestsInFlight()).isZero());
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldKeepNonBlockingReadsAsTheContainerMakesThem(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> post(id, "/async/listener", true, 7).header("X-Probe-Size", "100"))
                .same();

        assertThat(answers.mirrored().text()).contains("second-listener=java.lang.IllegalStateException")
                .contains("finished=true");
        assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(BODY);
        app.awaitOneMore(before, Reason.NONE);
    }

    /**
     * Not on Undertow: there isFinished() turns true only once a read has returned -1, so an
     * application that never reads past the last byte never sees the end, with the filter or
     * without it.
     */
    @ParameterizedTest
    @EnumSource(value = ServletContainer.Kind.class, names = {"JETTY", "TOMCAT"})
    void shouldSeeTheEndOfAChunkedBodyWhenTheApplicationNeverReadsPastIt(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> post(id, "/async/listener", true, 11)
                .header("X-Probe-Loop", "until-finished")).same();

        assertThat(answers.mirrored().text()).contains("read=" + ProbeServlet.describe(BODY));
        assertThat(app.copy(answers.id()).bodyBytes()).isEqualTo(BODY);
        app.awaitOneMore(before, Reason.NONE);
    }

    /**
     * After an asynchronous request completes, reading what the application left is no longer the
     * filter's to do: the unread body is counted as unavailable. A body known empty is complete.
     */
    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldCountAnAsyncBodyLeftUnreadAsUnavailable(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        for (String path : List.of("/async/ignore", "/async/partial")) {
            Map<Reason, Double> before = app.counts();

            SideBySide.Answers answers = app.send(id -> post(id, path, false, 3).header("X-Probe-Bytes", "1000")).same();

            app.awaitOneMore(before, Reason.BODY_UNAVAILABLE);
            assertThat(app.find(answers.id())).isEmpty();
        }
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers get = app.send(id -> new RawHttp.Request("GET", "/async/ignore").header("X-Request-Id", id)
                .unframed()).same();

        assertThat(app.copy(get.id()).bodyBytes()).isEmpty();
        app.awaitOneMore(before, Reason.NONE);
        await().untilAsserted(() -> assertThat(app.filter.asyncRequestsInFlight()).isZero());
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldIgnoreTheErrorDispatchAndMirrorOnce(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();

        SideBySide.Answers answers = app.send(id -> post(id, "/teapot", false, 5)).same();

        assertThat(answers.mirrored().text()).contains("error-page=418").contains("dispatch=ERROR");
        MirrorRequest copy = app.copy(answers.id());
        assertThat(copy.path()).isEqualTo("/teapot");
        assertThat(copy.bodyBytes()).isEqualTo(BODY);
        app.awaitOneMore(before, Reason.NONE);
    }
}
