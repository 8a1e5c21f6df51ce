package dev.trafficmirror.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpShadowSinkTest {

    private final MockWebServer shadow = new MockWebServer();
    private HttpShadowSink sink;

    @BeforeEach
    void start() throws Exception {
        shadow.start(0);
        sink = new HttpShadowSink(Duration.ofSeconds(1), Duration.ofSeconds(5), 4, 16);
    }

    @AfterEach
    void stop() {
        sink.close();
        shadow.close();
    }

    @Test
    void shouldSendExactBytesAndOnlyTheClientsHeaders() throws Exception {
        shadow.enqueue(new MockResponse.Builder().code(503).body("0123456789abcdefXYZ").build());
        byte[] body = {0, 1, 2, (byte) 0xff, (byte) 0x80, 10, 13};
        MirrorRequest request = MirrorRequest.builder("PUT", "/a%2Fb/c").query("q=%E2%82%AC&x")
                .header("Content-Type", "application/octet-stream; charset=weird")
                .header("X-Multi", "1").header("X-Multi", "2")
                .body(body).build();

        ShadowResponse response = sink.send(MirrorTarget.of("t", shadow.url("/").toString()), request);

        RecordedRequest received = shadow.takeRequest(5, TimeUnit.SECONDS);
        assertThat(received.getMethod()).isEqualTo("PUT");
        assertThat(received.getTarget()).isEqualTo("/a%2Fb/c?q=%E2%82%AC&x");
        assertThat(received.getBody().toByteArray()).isEqualTo(body);
        assertThat(received.getHeaders().get("Content-Type")).isEqualTo("application/octet-stream; charset=weird");
        assertThat(received.getHeaders().values("X-Multi")).containsExactly("1", "2");
        assertThat(received.getHeaders().get("User-Agent")).isNull();
        assertThat(received.getHeaders().get("Accept-Encoding")).isNull();
        assertThat(received.getHeaders().get("Host")).isEqualTo(shadow.getHostName() + ":" + shadow.getPort());
        assertThat(response.status()).isEqualTo(503);
        assertThat(new String(response.body())).isEqualTo("0123456789abcdef");
        assertThat(response.truncated()).isTrue();
    }

    @Test
    void shouldKeepTheTargetsBasePathAndSendEmptyPostBodies() throws Exception {
        shadow.enqueue(new MockResponse.Builder().code(200).build());
        MirrorRequest request = MirrorRequest.builder("POST", "/reviews/1").header("User-Agent", "curl/8").build();

        sink.send(MirrorTarget.of("t", shadow.url("/v2").toString()), request);

        RecordedRequest received = shadow.takeRequest(5, TimeUnit.SECONDS);
        assertThat(received.getTarget()).isEqualTo("/v2/reviews/1");
        assertThat(received.getHeaders().get("User-Agent")).isEqualTo("curl/8");
        assertThat(received.getBodySize()).isZero();
    }

    @Test
    void shouldNeverLetThePathLeaveTheTarget() {
        HttpUrl base = HttpUrl.get("http://shadow:9080/v2");
        for (String path : new String[] {"//other:1234/x", "/@other/x", "/http://other/x", "/%2F%2Fother/x"}) {
            HttpUrl url = HttpShadowSink.url(base, MirrorRequest.builder("GET", path).build());
            assertThat(url.host()).as(path).isEqualTo("shadow");
            assertThat(url.port()).as(path).isEqualTo(9080);
            assertThat(url.encodedPath()).as(path).startsWith("/v2/");
        }
        // OkHttp resolves these while building the URL, which would escape the base path.
        for (String path : new String[] {"/../x", "/%2e%2e/x", "/a/..\\..\\x", "/..;/x", "/./x"}) {
            assertThatThrownBy(() -> HttpShadowSink.url(base, MirrorRequest.builder("GET", path).build())).as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
