package dev.trafficmirror.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a shadow receives of a copy, through the mirror's own sender: the request's bytes and the client's headers. */
class CopyOnTheWireTest {

    private final MockWebServer shadow = new MockWebServer();
    private Mirror mirror;

    @BeforeEach
    void start() throws Exception {
        shadow.start(0);
    }

    @AfterEach
    void stop() {
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
        shadow.close();
    }

    private RecordedRequest copyOf(String targetUrl, MirrorRequest request) throws Exception {
        mirror = Mirror.builder().target(MirrorTarget.of("t", targetUrl)).meterRegistry(new SimpleMeterRegistry()).build();
        mirror.submit(request);
        RecordedRequest received = shadow.takeRequest(5, TimeUnit.SECONDS);
        assertThat(received).as("the copy arrived").isNotNull();
        return received;
    }

    @Test
    void shouldSendExactBytesAndOnlyTheClientsHeaders() throws Exception {
        shadow.enqueue(new MockResponse.Builder().code(503).body("0123456789abcdefXYZ").build());
        byte[] body = {0, 1, 2, (byte) 0xff, (byte) 0x80, 10, 13};
        MirrorRequest request = MirrorRequest.builder("PUT", "/a%2Fb/c").query("q=%E2%82%AC&x")
                .header("Content-Type", "application/octet-stream; charset=weird")
                .header("X-Multi", "1").header("X-Multi", "2")
                .body(body).build();

        RecordedRequest received = copyOf(shadow.url("/").toString(), request);

        assertThat(received.getMethod()).isEqualTo("PUT");
        assertThat(received.getTarget()).isEqualTo("/a%2Fb/c?q=%E2%82%AC&x");
        assertThat(received.getBody().toByteArray()).isEqualTo(body);
        assertThat(received.getHeaders().get("Content-Type")).isEqualTo("application/octet-stream; charset=weird");
        assertThat(received.getHeaders().values("X-Multi")).containsExactly("1", "2");
        assertThat(received.getHeaders().get("User-Agent")).isNull();
        assertThat(received.getHeaders().get("Accept-Encoding")).isNull();
        assertThat(received.getHeaders().get("Host")).isEqualTo(shadow.getHostName() + ":" + shadow.getPort());
    }

    @Test
    void shouldKeepTheTargetsBasePathAndSendEmptyPostBodies() throws Exception {
        shadow.enqueue(new MockResponse.Builder().code(200).build());
        MirrorRequest request = MirrorRequest.builder("POST", "/reviews/1").header("User-Agent", "curl/8").build();

        RecordedRequest received = copyOf(shadow.url("/v2").toString(), request);

        assertThat(received.getTarget()).isEqualTo("/v2/reviews/1");
        assertThat(received.getHeaders().get("User-Agent")).isEqualTo("curl/8");
        assertThat(received.getHeaders().get("Content-Length")).isEqualTo("0");
        assertThat(received.getBodySize()).isZero();
    }

    @Test
    void shouldNeverLetThePathLeaveTheTarget() {
        TargetAddress base = TargetAddress.of("http://shadow:9080/v2");
        for (String path : new String[] {"//other:1234/x", "/@other/x", "/http://other/x", "/%2F%2Fother/x"}) {
            String head = new String(Wire.bytes(RequestWriter.write(base, MirrorRequest.builder("GET", path).build())),
                    StandardCharsets.US_ASCII);
            assertThat(head).as(path).startsWith("GET /v2" + path + " HTTP/1.1\r\nHost: shadow:9080\r\n");
        }
        for (String path : new String[] {"/../x", "/%2e%2e/x", "/a/..\\..\\x", "/..;/x", "/./x"}) {
            assertThatThrownBy(() -> RequestWriter.write(base, MirrorRequest.builder("GET", path).build())).as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
