package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Conditions;
import dev.trafficmirror.core.HeaderRules;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Conditions, primary status, headers-only and Host rules through the filter, on Jetty and Tomcat. */
class MirrorFilterRoutingTest {

    private static final String TARGET = "shadow";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private final MockWebServer shadow = new MockWebServer();
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
            mirror.close(Duration.ofSeconds(5));
        }
        shadow.close();
    }

    private void start(ServletContainer.Kind kind, UnaryOperator<MirrorTarget> target,
            UnaryOperator<Mirror.Builder> settings) throws Exception {
        mirror = settings.apply(Mirror.builder()
                .target(target.apply(MirrorTarget.of(TARGET, shadow.url("/").toString())))
                .meterRegistry(registry)).build();
        primary = kind.start(new MirrorFilter(mirror), new AnswerServlet());
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(primary.url(path)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double count(Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", TARGET).tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldLeaveAnExcludedRequestUntouchedAndMirrorAnIncludedOne(ServletContainer.Kind kind) throws Exception {
        start(kind, t -> t, b -> b.condition(Conditions.requestTo("/api/**").and(Conditions.methods("POST"))));
        byte[] body = bytes(5000);

        HttpResponse<String> excluded = post("/static/upload", body);
        HttpResponse<String> included = post("/api/upload", body);

        assertThat(excluded.body()).as("no wrapper, no tee").isEqualTo("wrapped=false " + EchoServlet.describe(body));
        assertThat(included.body()).isEqualTo("wrapped=true " + EchoServlet.describe(body));
        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy.getTarget()).isEqualTo("/api/upload");
        assertThat(copy.getBody().toByteArray()).isEqualTo(body);
        assertThat(count(Reason.EXCLUDED)).isEqualTo(1);
        await().untilAsserted(() -> assertThat(count(Reason.NONE)).isEqualTo(1));
        assertThat(shadow.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMirrorOnlyWhatThePrimaryAnsweredSuccessfullySyncOrAsync(ServletContainer.Kind kind) throws Exception {
        start(kind, t -> t.primaryStatus(Conditions.successful()), b -> b);
        byte[] body = {1, 2, 3};

        assertThat(post("/ok", body).statusCode()).isEqualTo(200);
        assertThat(post("/failed", body, "X-Answer-Status", "503").statusCode()).isEqualTo(503);
        assertThat(post("/throw", body).statusCode()).isEqualTo(500);
        assertThat(post("/async-ok", body, "X-Answer-Async", "1", "X-Answer-Status", "202").statusCode()).isEqualTo(202);
        assertThat(post("/async-failed", body, "X-Answer-Async", "1", "X-Answer-Status", "409").statusCode()).isEqualTo(409);

        await().untilAsserted(() -> {
            assertThat(count(Reason.NONE)).isEqualTo(2);
            assertThat(count(Reason.PRIMARY_STATUS)).isEqualTo(3);
        });
        assertThat(List.of(shadow.takeRequest(1, TimeUnit.SECONDS).getTarget(),
                shadow.takeRequest(1, TimeUnit.SECONDS).getTarget())).containsExactlyInAnyOrder("/ok", "/async-ok");
        assertThat(shadow.getRequestCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldSendHeadersOnlyCopiesWithoutTeeingTheBody(ServletContainer.Kind kind) throws Exception {
        start(kind, t -> t.headersOnly(true), b -> b.maxBodySize(10));
        byte[] body = bytes(100_000);

        HttpResponse<String> response = post("/upload", body, "Content-Type", "application/octet-stream");

        assertThat(response.body()).as("no wrapper, no tee").isEqualTo("wrapped=false " + EchoServlet.describe(body));
        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy.getMethod()).isEqualTo("POST");
        assertThat(copy.getTarget()).isEqualTo("/upload");
        assertThat(copy.getBodySize()).isZero();
        assertThat(copy.getHeaders().get("Content-Length")).isEqualTo("0");
        assertThat(copy.getHeaders().get("Content-Type")).isNull();
        await().untilAsserted(() -> assertThat(count(Reason.NONE)).isEqualTo(1));
        assertThat(count(Reason.BODY_TOO_LARGE)).isZero();
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldApplyHeaderAndHostRulesToCopiesOfRealRequests(ServletContainer.Kind kind) throws Exception {
        start(kind, t -> t.headers(HeaderRules.defaults().remove("Authorization", "Cookie").set("X-Env", "shadow")
                .hostSuffix("-shadow")), b -> b);

        RawHttp.Response response = RawHttp.exchange(primary.port(), "GET /profile HTTP/1.1\r\n"
                + "Host: shop.example:8080\r\nAuthorization: Bearer secret\r\nCookie: SESSION=1\r\nX-Env: prod\r\n"
                + "X-Request-Id: req-42\r\nConnection: close\r\n\r\n", new byte[0]);

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy.getHeaders().get("Host")).isEqualTo("shop.example-shadow:8080");
        assertThat(copy.getHeaders().get("X-Forwarded-Host")).isEqualTo("shop.example:8080");
        assertThat(copy.getHeaders().get("Authorization")).isNull();
        assertThat(copy.getHeaders().get("Cookie")).isNull();
        assertThat(copy.getHeaders().values("X-Env")).containsExactly("shadow");
        assertThat(copy.getHeaders().get("X-Mirror-Id")).isEqualTo("req-42");
    }
}
