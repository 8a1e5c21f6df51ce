package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.Reason;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 100 MiB chunked upload through a mirror capped at 1 MiB, on Jetty and Tomcat: the application
 * reads every byte while the tee never holds more than the cap, and lets go of it once over.
 */
class BodyMemoryTest {

    private static final Apps apps = new Apps();
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 1600;

    @AfterAll
    static void stopApps() throws Exception {
        apps.close();
    }

    /**
     * Not on Undertow, whose defaults (Spring Boot's too) stop a chunked upload of this size after a
     * few megabytes, with the filter or without it; the tee's growth and bound are the same code on
     * every container (BodyTeeTest, TeeBudgetTest).
     */
    @ParameterizedTest
    @EnumSource(value = ServletContainer.Kind.class, names = {"JETTY", "TOMCAT"})
    void shouldNeverHoldMoreThanTheCapWhileAHundredMegabytesStreamThrough(ServletContainer.Kind kind) throws Exception {
        SideBySide app = apps.of(kind);
        Map<Reason, Double> before = app.counts();
        String id = SideBySide.newId();
        byte[] chunk = Apps.randomBytes(CHUNK, 29);

        RawHttp.Response response;
        try (Socket socket = new Socket("127.0.0.1", app.mirrored.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /memory HTTP/1.1\r\nHost: primary.test\r\nX-Request-Id: " + id
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunkHead = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < CHUNKS; i++) {
                out.write(chunkHead);
                out.write(chunk);
                out.write('\r');
                out.write('\n');
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            response = RawHttp.read(socket.getInputStream());
        }

        assertThat(response.text()).contains("read=" + (long) CHUNK * CHUNKS).contains("tee-capacity-at-end=0");
        assertThat(ProbeServlet.teeCapacity.get(id)).isPositive().isLessThanOrEqualTo(Apps.CAP);
        app.awaitOneMore(before, Reason.BODY_TOO_LARGE);
        assertThat(app.find(id)).isEmpty();
    }
}
