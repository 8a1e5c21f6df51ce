package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MirrorFilterTest {

    private static final String TARGET = "shadow";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private final MockWebServer shadow = new MockWebServer();
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private Mirror mirror;
    private ServletContainer primary;

    @BeforeEach
    void startShadow() throws Exception {
        shadow.setDispatcher(ShadowAnswers.ok());
        shadow.start(0);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (primary != null) {
            primary.close();
        }
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
        shadow.close();
        for (AutoCloseable closeable : closeLast) {
            closeable.close();
        }
    }

    private void start(ServletContainer.Kind kind, String shadowUrl, UnaryOperator<Mirror.Builder> settings) throws Exception {
        mirror = settings.apply(Mirror.builder().target(MirrorTarget.of(TARGET, shadowUrl)).meterRegistry(registry)).build();
        primary = kind.start(new MirrorFilter(mirror), new EchoServlet());
    }

    private HttpResponse<String> post(String pathAndQuery, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(primary.url(pathAndQuery)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // From the mirror's own counts: a closed mirror has removed its meters from the registry.
    private double count(Reason reason) {
        return mirror.stats().stream().filter(stats -> stats.target().name().equals(TARGET)).findFirst().orElseThrow()
                .count(reason);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorMethodPathQueryBodyAndEndToEndHeadersExactly(ServletContainer.Kind kind) throws Exception {
        start(kind, shadow.url("/").toString(), b -> b);
        byte[] body = randomBytes(3000);
        String head = "POST /upload/a%20b;v=1?x=1&y=%2F&z HTTP/1.1\r\n"
                + "Host: primary.example\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Custom: one\r\n"
                + "X-Custom: two\r\n"
                + "Connection: keep-alive, X-Hop\r\n"
                + "X-Hop: drop-me\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Proxy-Authorization: Basic Zm9v\r\n"
                + "User-Agent: raw-test\r\n"
                + "\r\n";

        RawHttp.Response response = RawHttp.exchange(primary.port(), head, body);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo(EchoServlet.describe(body));
        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getMethod()).isEqualTo("POST");
        assertThat(copy.getTarget()).isEqualTo("/upload/a%20b;v=1?x=1&y=%2F&z");
        assertThat(copy.getBody().toByteArray()).isEqualTo(body);
        assertThat(copy.getHeaders().values("X-Custom")).containsExactly("one", "two");
        assertThat(copy.getHeaders().get("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(copy.getHeaders().get("User-Agent")).isEqualTo("raw-test");
        assertThat(copy.getHeaders().names()).map(String::toLowerCase)
                .doesNotContain("x-hop", "keep-alive", "te", "proxy-authorization", "transfer-encoding");
        assertThat(copy.getHeaders().get("Connection")).isIn(null, "Keep-Alive");
        assertThat(copy.getHeaders().get("X-Mirror-Id")).isNotBlank();
        assertThat(copy.getHeaders().get("X-Forwarded-Host")).isEqualTo("primary.example");
        assertThat(copy.getHeaders().get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(copy.getHeaders().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(copy.getHeaders().get("Host")).isEqualTo(shadow.getHostName() + ":" + shadow.getPort());
        await().untilAsserted(() -> assertThat(count(Reason.NONE)).isEqualTo(1));
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldAnswerTheClientWhileTheShadowIsStillHoldingTheRequest(ServletContainer.Kind kind) throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        closeLast.add(release::countDown);
        shadow.setDispatcher(ShadowAnswers.holding(arrived, release, 2));
        start(kind, shadow.url("/").toString(), b -> b);

        HttpResponse<String> response = post("/slow", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(arrived.await(10, TimeUnit.SECONDS)).as("the shadow got the copy").isTrue();
        assertThat(count(Reason.NONE)).as("the shadow has not answered yet").isZero();
        release.countDown();
        await().untilAsserted(() -> assertThat(count(Reason.NONE)).isEqualTo(1));
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldNotMirrorARequestThatIsAlreadyAMirror(ServletContainer.Kind kind) throws Exception {
        start(kind, shadow.url("/").toString(), b -> b);

        HttpResponse<String> looped = client.send(HttpRequest.newBuilder(URI.create(primary.url("/looped")))
                .header("X-Mirror-Id", "earlier").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> fresh = client.send(HttpRequest.newBuilder(URI.create(primary.url("/fresh")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(looped.statusCode()).isEqualTo(200);
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(shadow.takeRequest(10, TimeUnit.SECONDS).getTarget()).isEqualTo("/fresh");
        await().untilAsserted(() -> assertThat(count(Reason.LOOP)).isEqualTo(1));
        await().untilAsserted(() -> assertThat(count(Reason.NONE)).isEqualTo(1));
        assertThat(shadow.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorNothingAtZeroPercent(ServletContainer.Kind kind) throws Exception {
        start(kind, shadow.url("/").toString(), b -> b.percentage(0));

        for (int i = 0; i < 20; i++) {
            assertThat(post("/p", new byte[] {1}).statusCode()).isEqualTo(200);
        }

        await().untilAsserted(() -> assertThat(count(Reason.SAMPLED_OUT)).isEqualTo(20));
        assertThat(registry.get("mirror.inflight").gauge().value()).isZero();
        assertThat(shadow.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorEverythingAtHundredPercent(ServletContainer.Kind kind) throws Exception {
        start(kind, shadow.url("/").toString(), b -> b.percentage(100));

        for (int i = 0; i < 20; i++) {
            assertThat(post("/p/" + i, new byte[] {(byte) i}).statusCode()).isEqualTo(200);
        }

        await().untilAsserted(() -> assertThat(count(Reason.NONE)).isEqualTo(20));
        assertThat(shadow.getRequestCount()).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldGiveTheApplicationEveryByteButMirrorNothingOverTheCap(ServletContainer.Kind kind) throws Exception {
        start(kind, shadow.url("/").toString(), b -> b.maxBodySize(1000));
        byte[] overCap = randomBytes(1001);

        HttpResponse<String> declared = post("/big", overCap);
        // Chunked: no Content-Length, so the cap is only found while the application reads.
        RawHttp.Response chunked = RawHttp.exchange(primary.port(),
                "POST /big-chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                chunk(overCap));

        assertThat(declared.body()).isEqualTo(EchoServlet.describe(overCap));
        assertThat(chunked.text()).isEqualTo(EchoServlet.describe(overCap));
        // Jetty completes a response once Content-Length bytes are written, before the filter returns.
        await().untilAsserted(() -> assertThat(count(Reason.BODY_TOO_LARGE)).isEqualTo(2));
        assertThat(count(Reason.NONE) + registry.get("mirror.inflight").gauge().value()).isZero();
        assertThat(shadow.getRequestCount()).isZero();
    }

    private static byte[] chunk(byte[] body) {
        String head = Integer.toHexString(body.length) + "\r\n";
        byte[] framed = new byte[head.length() + body.length + 7];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, framed, 0, head.length());
        System.arraycopy(body, 0, framed, head.length(), body.length);
        System.arraycopy("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, framed, head.length() + body.length, 7);
        return framed;
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldAnswerAndCountConnectWhenTheShadowPortIsClosed(ServletContainer.Kind kind) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        start(kind, "http://127.0.0.1:" + closedPort, b -> b);

        assertThat(post("/x", new byte[] {42}).statusCode()).isEqualTo(200);

        await().untilAsserted(() -> assertThat(count(Reason.CONNECT)).isEqualTo(1));
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldDropAndCountWhenTheOnlySenderIsBusyAndThereIsNoQueue(ServletContainer.Kind kind) throws Exception {
        ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeLast.add(blackHole);
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(blackHole.accept());
                }
            } catch (Exception closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        start(kind, "http://127.0.0.1:" + blackHole.getLocalPort(),
                b -> b.maxConcurrent(1).queueCapacity(0).timeout(Duration.ofSeconds(30)));
        int requests = 8;

        for (int i = 0; i < requests; i++) {
            assertThat(post("/x", new byte[] {(byte) i}).statusCode()).isEqualTo(200);
        }

        await().untilAsserted(() -> assertThat(count(Reason.QUEUE_FULL)).isEqualTo(requests - 1));
        assertThat(registry.get("mirror.inflight").gauge().value()).isEqualTo(1);
        mirror.close(Duration.ofMillis(100));
        assertThat(count(Reason.SHUTDOWN)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldLetAnInFlightMirrorFinishOnCloseAndLeaveNoThread(ServletContainer.Kind kind) throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        closeLast.add(release::countDown);
        shadow.setDispatcher(ShadowAnswers.holding(arrived, release, 10));
        start(kind, shadow.url("/").toString(), b -> b);
        assertThat(post("/x", new byte[] {1}).statusCode()).isEqualTo(200);
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(() -> mirror.close(Duration.ofSeconds(20)));
        closer.start();
        release.countDown();
        closer.join(30_000);

        assertThat(closer.isAlive()).isFalse();
        assertThat(count(Reason.NONE)).isEqualTo(1);
        assertThat(count(Reason.SHUTDOWN)).isZero();
        await().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().contains("trafficmirror")));
    }
}
