package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.integration.PendingMirror;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several targets, each with its own base path, share, primary-status condition and body mode. */
class TargetsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Shadow a;
    private final Shadow b;
    private Mirror mirror;

    TargetsTest() throws Exception {
        a = new Shadow();
        b = new Shadow();
    }

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        a.close();
        b.close();
    }

    private static MirrorRequest get(String path) {
        return MirrorRequest.builder("GET", path).query("lang=en").header("Host", "shop.example").build();
    }

    private static MirrorRequest post(String path, String body) {
        return MirrorRequest.builder("POST", path)
                .header("Host", "shop.example")
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "identity")
                .header("X-Keep", "yes")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void shouldSendEachTargetItsOwnShareUnderItsOwnBasePath() throws Exception {
        mirror = Mirror.builder()
                .target(MirrorTarget.of("a", a.url("/")).percentage(1).sampling(Sampling.counter()))
                .target(MirrorTarget.of("b", b.url("/v2")).percentage(3).sampling(Sampling.counter()))
                .meterRegistry(registry).build();

        for (int i = 1; i <= 300; i++) {
            mirror.submit(get("/reviews/" + i));
        }

        // 1 % counted: requests 100, 200, 300. 3 %: 9 of 300, each under /v2.
        assertThat(a.take(3)).extracting(RecordedRequest::getTarget)
                .containsExactlyInAnyOrder("/reviews/100?lang=en", "/reviews/200?lang=en", "/reviews/300?lang=en");
        assertThat(b.take(9)).extracting(RecordedRequest::getTarget)
                .allSatisfy(target -> assertThat(target).matches("/v2/reviews/[0-9]+\\?lang=en"));
        await().untilAsserted(() -> {
            assertThat(Meters.count(registry, "a", Reason.NONE)).isEqualTo(3);
            assertThat(Meters.count(registry, "b", Reason.NONE)).isEqualTo(9);
        });
        assertThat(Meters.count(registry, "a", Reason.SAMPLED_OUT)).isEqualTo(297);
        assertThat(Meters.count(registry, "b", Reason.SAMPLED_OUT)).isEqualTo(291);
        assertThat(a.received()).isEqualTo(3);
        assertThat(b.received()).isEqualTo(9);
    }

    @Test
    void shouldMirrorOnlyWhatThePrimaryAnsweredAsTheTargetAsks() throws Exception {
        mirror = Mirror.builder()
                .target(MirrorTarget.of("ok", a.url("/")).primaryStatus(Conditions.successful()))
                .target(MirrorTarget.of("all", b.url("/")))
                .meterRegistry(registry).build();

        mirror.submit(post("/orders/1", "{}"), 201);
        mirror.submit(post("/orders/2", "{}"), 503);
        mirror.submit(post("/orders/3", "{}"));
        PendingMirror pending = mirror.integration().begin(get("/orders/4"));
        pending.send(new byte[0], 404);

        assertThat(a.take().getTarget()).isEqualTo("/orders/1");
        assertThat(b.take(4)).extracting(RecordedRequest::getTarget)
                .containsExactlyInAnyOrder("/orders/1", "/orders/2", "/orders/3", "/orders/4?lang=en");
        await().untilAsserted(() -> assertThat(Meters.count(registry, "ok", Reason.NONE)).isEqualTo(1));
        assertThat(Meters.count(registry, "ok", Reason.PRIMARY_STATUS)).as("503, unknown and 404").isEqualTo(3);
        assertThat(Meters.count(registry, "all", Reason.PRIMARY_STATUS)).isZero();
        assertThat(a.received()).isEqualTo(1);
    }

    @Test
    void shouldSendHeadersOnlyCopiesWithoutTheBodyOrTheHeadersDescribingIt() throws Exception {
        mirror = Mirror.builder()
                .target(MirrorTarget.of("headers", a.url("/")).headersOnly(true))
                .target(MirrorTarget.of("full", b.url("/")))
                .meterRegistry(registry).build();

        mirror.submit(post("/upload", "{\"big\":true}"));

        RecordedRequest headersOnly = a.take();
        assertThat(headersOnly.getMethod()).isEqualTo("POST");
        assertThat(headersOnly.getBodySize()).isZero();
        assertThat(headersOnly.getHeaders().get("Content-Length")).isEqualTo("0");
        assertThat(headersOnly.getHeaders().get("Content-Type")).isNull();
        assertThat(headersOnly.getHeaders().get("Content-Encoding")).isNull();
        assertThat(headersOnly.getHeaders().get("X-Keep")).isEqualTo("yes");
        RecordedRequest full = b.take();
        assertThat(full.getBody().utf8()).isEqualTo("{\"big\":true}");
        assertThat(full.getHeaders().get("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void shouldNeitherNeedNorLimitTheBodyWhenEveryTargetPickedIsHeadersOnly() throws Exception {
        mirror = Mirror.builder()
                .target(MirrorTarget.of("headers", a.url("/")).headersOnly(true))
                .target(MirrorTarget.of("full", b.url("/")).condition(Conditions.methods("GET")))
                .maxBodySize(4)
                .meterRegistry(registry).build();

        assertThat(mirror.integration().begin(post("/upload", "x")).needsBody()).isFalse();
        assertThat(mirror.integration().begin(get("/page")).needsBody()).isTrue();
        mirror.submit(post("/upload", "far more than four bytes"));

        assertThat(a.take().getTarget()).isEqualTo("/upload");
        await().untilAsserted(() -> assertThat(Meters.count(registry, "headers", Reason.NONE)).isEqualTo(1));
        assertThat(Meters.count(registry, "headers", Reason.BODY_TOO_LARGE)).isZero();
        assertThat(Meters.count(registry, "full", Reason.EXCLUDED)).as("the POSTs").isEqualTo(2);
    }

    @Test
    void shouldRefuseTargetUrlsWhoseBasePathIsNotPlain() {
        for (String url : List.of("http://h/v2/../admin", "http://h/v2/%2e%2e/x", "http://h/a%zz", "http://h:99999/")) {
            assertThatThrownBy(() -> MirrorTarget.of("t", url)).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(url);
        }
        assertThat(MirrorTarget.of("t", "http://h:81/v2/").url()).isEqualTo("http://h:81/v2");
    }

    @Test
    void shouldKeepEveryPerTargetSettingWhenAnotherIsChanged() {
        MirrorTarget target = MirrorTarget.of("t", "http://h")
                .percentage(2.5)
                .sampling(Sampling.counter())
                .primaryStatus(Conditions.successful())
                .headers(HeaderRules.defaults().remove("Cookie"))
                .headersOnly(true)
                .condition(Conditions.methods("GET"));

        assertThat(target.percentage()).hasValue(2.5);
        assertThat(target.sampling()).get().hasToString("counter");
        assertThat(target.primaryStatus()).isPresent();
        assertThat(target.headers()).contains(HeaderRules.defaults().remove("Cookie"));
        assertThat(target.isHeadersOnly()).isTrue();
        assertThat(target.condition()).isPresent();
    }
}
