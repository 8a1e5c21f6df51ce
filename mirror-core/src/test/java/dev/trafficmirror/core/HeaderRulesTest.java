package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Shadow shadow;
    private Mirror mirror;

    HeaderRulesTest() throws Exception {
        shadow = new Shadow();
    }

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        shadow.close();
    }

    private static MirrorRequest.Builder request() {
        return MirrorRequest.builder("GET", "/profile")
                .header("Host", "shop.example:8443")
                .header("Authorization", "Bearer secret")
                .header("Cookie", "SESSION=1")
                .header("X-Env", "prod")
                .header("X-Env", "prod-2")
                .header("X-Tag", "a")
                .header("Connection", "keep-alive")
                .header("Keep-Alive", "timeout=5")
                .remoteAddress("10.0.0.9");
    }

    private Headers mirrored(HeaderRules rules, MirrorRequest request) throws InterruptedException {
        mirror = Mirror.builder().target(MirrorTarget.of("shadow", shadow.url("/"))).headers(rules)
                .meterRegistry(registry).build();
        mirror.submit(request);
        return shadow.take().getHeaders();
    }

    @Test
    void shouldRemoveSetAndAddHeadersInOrderAndAlwaysDropHopByHop() throws Exception {
        Headers headers = mirrored(HeaderRules.defaults()
                .remove("authorization", "Cookie")
                .set("X-Env", "shadow")
                .add("X-Tag", "b")
                .set("X-Forwarded-For", "redacted"), request().build());

        assertThat(headers.get("Authorization")).isNull();
        assertThat(headers.get("Cookie")).isNull();
        assertThat(headers.values("X-Env")).containsExactly("shadow");
        assertThat(headers.values("X-Tag")).containsExactly("a", "b");
        assertThat(headers.values("X-Forwarded-For")).containsExactly("redacted");
        assertThat(headers.get("Keep-Alive")).isNull();
        assertThat(headers.get("Connection")).isIn(null, "Keep-Alive");
        assertThat(headers.get("X-Mirror-Id")).matches("[0-9a-f]{32}");
    }

    @Test
    void shouldGiveTheTargetsHostByDefaultAndTheOriginalInForwardedHost() throws Exception {
        Headers headers = mirrored(HeaderRules.defaults(), request().build());

        assertThat(headers.get("Host")).isEqualTo(shadow.hostAndPort());
        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("shop.example:8443");
    }

    @Test
    void shouldPreserveTheOriginalHostWhenAsked() throws Exception {
        assertThat(mirrored(HeaderRules.defaults().preserveHost(), request().build()).get("Host"))
                .isEqualTo("shop.example:8443");
    }

    @Test
    void shouldSetALiteralHost() throws Exception {
        assertThat(mirrored(HeaderRules.defaults().host("reviews.internal:9080"), request().build()).get("Host"))
                .isEqualTo("reviews.internal:9080");
    }

    @Test
    void shouldAddTheSuffixToTheHostNameBeforeThePortLikeIstio() throws Exception {
        Headers headers = mirrored(HeaderRules.defaults().hostSuffix("-shadow"), request().build());

        assertThat(headers.get("Host")).isEqualTo("shop.example-shadow:8443");
        MirrorRequest noPort = MirrorRequest.builder("GET", "/").header("Host", "reviews").build();
        MirrorRequest ipv6 = MirrorRequest.builder("GET", "/").header("Host", "[::1]:80").build();
        MirrorRequest noHost = MirrorRequest.builder("GET", "/").build();
        HeaderRules suffix = HeaderRules.defaults().hostSuffix("-shadow");
        assertThat(suffix.host(noPort)).isEqualTo("reviews-shadow");
        assertThat(suffix.host(ipv6)).isEqualTo("[::1]:80");
        assertThat(suffix.host(noHost)).as("the target's").isNull();
        assertThat(HeaderRules.defaults().preserveHost().host(noHost)).isNull();
    }

    @Test
    void shouldLetATargetOverrideTheMirrorsRules() throws Exception {
        Shadow own = new Shadow();
        try {
            mirror = Mirror.builder()
                    .target(MirrorTarget.of("global", shadow.url("/")))
                    .target(MirrorTarget.of("own", own.url("/"))
                            .headers(HeaderRules.defaults().remove("X-Tag").preserveHost()))
                    .headers(HeaderRules.defaults().remove("Authorization"))
                    .meterRegistry(registry).build();

            mirror.submit(request().build());

            Headers global = shadow.take().getHeaders();
            Headers overridden = own.take().getHeaders();
            assertThat(global.get("Authorization")).isNull();
            assertThat(global.get("X-Tag")).isEqualTo("a");
            assertThat(overridden.get("Authorization")).as("replaced, not merged").isEqualTo("Bearer secret");
            assertThat(overridden.get("X-Tag")).isNull();
            assertThat(overridden.get("Host")).isEqualTo("shop.example:8443");
            assertThat(global.get("X-Mirror-Id")).isEqualTo(overridden.get("X-Mirror-Id"));
        } finally {
            mirror.close(Duration.ofSeconds(5));
            own.close();
        }
    }

    @Test
    void shouldTakeTheMirrorIdFromRequestIdThenTraceparent() throws Exception {
        mirror = Mirror.builder().target(MirrorTarget.of("shadow", shadow.url("/"))).meterRegistry(registry).build();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        mirror.submit(MirrorRequest.builder("GET", "/1").header("X-Request-Id", "req-1")
                .header("traceparent", traceparent).build());
        RecordedRequest first = shadow.take();
        mirror.submit(MirrorRequest.builder("GET", "/2").header("traceparent", traceparent).build());
        RecordedRequest second = shadow.take();
        mirror.submit(MirrorRequest.builder("GET", "/3").header("X-Request-Id", "has space")
                .header("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01").build());
        RecordedRequest third = shadow.take();

        assertThat(first.getHeaders().get("X-Mirror-Id")).isEqualTo("req-1");
        assertThat(second.getHeaders().get("X-Mirror-Id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(second.getHeaders().get("traceparent")).as("the same trace, not sampled (TracePropagationTest)")
                .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00");
        assertThat(third.getHeaders().get("X-Mirror-Id")).matches("[0-9a-f]{32}")
                .isNotEqualTo("00000000000000000000000000000000");
        assertThat(MirrorIds.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).as("uppercase").isNull();
        assertThat(MirrorIds.traceId("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
        assertThat(MirrorIds.traceId("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(MirrorIds.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")).isNull();
    }

    @Test
    void shouldRejectRulesOnHeadersTheMirrorOwnsOrValuesThatCouldSplitTheHead() {
        for (String owned : new String[] {"Host", "X-Mirror-Id", "Content-Length", "Transfer-Encoding", "Connection",
                "Expect", "TE"}) {
            assertThatThrownBy(() -> HeaderRules.defaults().set(owned, "x")).as(owned)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(owned);
            assertThatThrownBy(() -> HeaderRules.defaults().remove(owned)).as(owned)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HeaderRules.defaults().set("X-A", "1\r\nX-Injected: 1")).hasMessageContaining("line breaks");
        assertThatThrownBy(() -> HeaderRules.defaults().add("X-A", "caf\u00e9")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> HeaderRules.defaults().add("Bad Name", "1")).hasMessageContaining("not a header name");
        assertThatThrownBy(() -> HeaderRules.defaults().host("evil.example/path")).hasMessageContaining("headers.host");
        assertThatThrownBy(() -> HeaderRules.defaults().host("a\r\nb")).hasMessageContaining("headers.host");
        assertThatThrownBy(() -> HeaderRules.defaults().hostSuffix(":1")).hasMessageContaining("host-suffix");
        assertThat(HeaderRules.defaults().remove("A").set("B", "1"))
                .isEqualTo(HeaderRules.defaults().remove("A").set("B", "1"))
                .isNotEqualTo(HeaderRules.defaults().set("B", "1").remove("A"));
    }
}
