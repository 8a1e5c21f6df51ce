package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client goes away halfway through its upload, on Jetty and Tomcat: the application sees what
 * it sees without the filter, nothing is mirrored ({@code client_aborted}), and the tee lets go of
 * its buffer.
 */
class ClientAbortTest {

    private static final Apps apps = new Apps();
    private static final int DECLARED = 100_000;
    private static final byte[] SENT = Apps.randomBytes(30_000, 23);

    @AfterAll
    static void stopApps() throws Exception {
        apps.close();
    }

    static Stream<Arguments> framings() {
        return Stream.of(ServletContainer.Kind.values())
                .flatMap(kind -> Stream.of(Arguments.of(kind, false), Arguments.of(kind, true)));
    }

    /** Sends the head and part of the body, then closes the connection. */
    private static void abandon(int port, String path, String id, boolean chunked) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            String framing = chunked ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(DECLARED) + "\r\n"
                    : "Content-Length: " + DECLARED + "\r\n\r\n";
            out.write(("POST " + path + " HTTP/1.1\r\nHost: primary.test\r\nX-Request-Id: " + id + "\r\n" + framing)
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(SENT);
            out.flush();
        }
    }

    private static String reportOf(String id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> ProbeServlet.abandoned.get(id), r -> r != null);
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @MethodSource("framings")
    void shouldMirrorNothingAndLetGoOfTheBufferWhenTheClientLeaves(ServletContainer.Kind kind, boolean chunked)
            throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();
        String plainId = SideBySide.newId();
        String id = SideBySide.newId();

        abandon(app.plain.port(), "/abort", plainId, chunked);
        abandon(app.mirrored.port(), "/abort", id, chunked);

        String plain = reportOf(plainId);
        String mirrored = reportOf(id);
        assertThat(mirrored).contains("tee-capacity=0\n");
        assertThat(mirrored.replace("tee-capacity=0\n", "")).isEqualTo(plain);
        if (kind != ServletContainer.Kind.UNDERTOW || !chunked) {
            // Undertow hands a chunked body's last bytes before an abort to no one, filter or not.
            assertThat(mirrored).contains("read=" + SENT.length);
        }
        app.awaitOneMore(before, Reason.CLIENT_ABORTED);
        assertThat(app.find(id)).isEmpty();
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @MethodSource("framings")
    void shouldCountAnAbortTheApplicationNeverSaw(ServletContainer.Kind kind, boolean chunked) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();
        String id = SideBySide.newId();

        abandon(app.mirrored.port(), "/ignore", id, chunked);

        app.awaitOneMore(before, Reason.CLIENT_ABORTED);
        assertThat(app.find(id)).isEmpty();
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @MethodSource("framings")
    void shouldCountAnAbortSeenByANonBlockingReader(ServletContainer.Kind kind, boolean chunked) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();
        String plainId = SideBySide.newId();
        String id = SideBySide.newId();

        abandon(app.plain.port(), "/async/listener", plainId, chunked);
        abandon(app.mirrored.port(), "/async/listener", id, chunked);

        assertThat(reportOf(id)).isEqualTo(reportOf(plainId)).contains("error=");
        app.awaitOneMore(before, Reason.CLIENT_ABORTED);
        assertThat(app.find(id)).isEmpty();
        await().untilAsserted(() -> assertThat(app.filter.asyncRequestsInFlight()).isZero());
    }
}
