package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.Predicate;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Shadow shadow;
    private Mirror mirror;

    ConditionsTest() throws Exception {
        shadow = new Shadow();
    }

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        shadow.close();
    }

    private static MirrorRequest request(String method, String path) {
        return MirrorRequest.builder(method, path).header("X-Tenant", "acme").build();
    }

    private static boolean matches(String pattern, String path) {
        return Conditions.requestTo(pattern).test(request("GET", path));
    }

    @Test
    void shouldMatchAntStylePatterns() {
        assertThat(matches("/api/**", "/api")).isTrue();
        assertThat(matches("/api/**", "/api/")).isTrue();
        assertThat(matches("/api/**", "/api/v1/users/7")).isTrue();
        assertThat(matches("/api/**", "/apix")).isFalse();
        assertThat(matches("/api/**", "/")).isFalse();
        assertThat(matches("/users/*/orders", "/users/42/orders")).isTrue();
        assertThat(matches("/users/*/orders", "/users/42/7/orders")).isFalse();
        assertThat(matches("/users/*/orders", "/users//orders")).isFalse();
        assertThat(matches("/**/orders", "/orders")).isTrue();
        assertThat(matches("/**/orders/**", "/a/b/orders/c/d")).isTrue();
        assertThat(matches("/files/*.json", "/files/report.json")).isTrue();
        assertThat(matches("/files/*.json", "/files/report.xml")).isFalse();
        assertThat(matches("/v?/x", "/v2/x")).isTrue();
        assertThat(matches("/v?/x", "/v22/x")).isFalse();
        assertThat(matches("/exact", "/exact")).isTrue();
        assertThat(matches("/exact", "/Exact")).isFalse();
        assertThat(matches("/**", "/anything/at/all")).isTrue();
    }

    @Test
    void shouldMatchPathVariablesAsSpringMvcDoes() {
        assertThat(matches("/pay/{id}/capture", "/pay/7/capture")).isTrue();
        assertThat(matches("/pay/{id}/capture", "/pay/7/refund")).isFalse();
        assertThat(matches("/pay/{id}/capture", "/pay/7/8/capture")).as("one segment").isFalse();
        assertThat(matches("/pay/{id}/capture", "/pay//capture")).as("never an empty one").isFalse();
        assertThat(matches("/files/{name}.json", "/files/report.json")).isTrue();
        assertThat(matches("/files/{name}.json", "/files/.json")).as("as Spring MVC: part of a segment may be empty").isTrue();
        assertThat(matches("/v{major}/{resource}", "/v2/users")).isTrue();
        assertThat(matches("/static/{*path}", "/static")).isTrue();
        assertThat(matches("/static/{*path}", "/static/css/app.css")).isTrue();
        assertThat(matches("/static/{*path}", "/statics/app.css")).isFalse();
    }

    @Test
    void shouldMatchWithinTheApplicationAfterItsContextPath() {
        Predicate<MirrorRequest> capture = Conditions.requestTo("/pay/{id}/capture");
        MirrorRequest.Builder shop = MirrorRequest.builder("POST", "/shop/pay/7/capture").contextPath("/shop");

        assertThat(capture.test(shop.build())).isTrue();
        assertThat(capture.test(MirrorRequest.builder("POST", "/shop/pay/7/capture").build()))
                .as("no context path: the whole path").isFalse();
        assertThat(capture.test(MirrorRequest.builder("POST", "/sh%6Fp/pay/7/capture").contextPath("/sh%6Fp").build()))
                .isTrue();
        assertThat(Conditions.requestTo("/").test(MirrorRequest.builder("GET", "/shop").contextPath("/shop").build()))
                .as("the application's root").isTrue();
        assertThat(Conditions.requestTo("/shopping/**")
                .test(MirrorRequest.builder("GET", "/shopping/x").contextPath("/shop").build()))
                .as("a context path ends at a segment").isTrue();
    }

    @Test
    void shouldRefuseWhatAPatternCannotHonourExactlyRatherThanMatchItLiterally() {
        assertThatThrownBy(() -> Conditions.requestTo("/pay/{id:\\d+}/capture"))
                .hasMessage("path pattern '/pay/{id:\\d+}/capture': {id:\\d+} is a regular expression, which path"
                        + " patterns do not support; use {id} for any one segment, or list the paths");
        assertThatThrownBy(() -> Conditions.requestTo("/pay/{id/capture"))
                .hasMessageContaining("path pattern '/pay/{id/capture' has an unbalanced brace");
        assertThatThrownBy(() -> Conditions.requestTo("/pay/id}/capture")).hasMessageContaining("unbalanced brace");
        assertThatThrownBy(() -> Conditions.requestTo("/pay/{}/capture")).hasMessageContaining("'{}' is not a variable");
        assertThatThrownBy(() -> Conditions.requestTo("/pay/{a b}")).hasMessageContaining("'{a b}' is not a variable");
        assertThatThrownBy(() -> Conditions.requestTo("/static/{*path}/x"))
                .hasMessageContaining("{*path} takes the rest of the path, so it must be the last segment");
        assertThatThrownBy(() -> Conditions.requestTo("/static/{*}")).hasMessageContaining("write it as {*rest}");
    }

    @Test
    void shouldMatchThePathAsTheContainerMapsItSoThatNoSpellingSlipsPast() {
        Predicate<MirrorRequest> admin = Conditions.requestTo("/admin/**");

        assertThat(admin.test(request("GET", "/%61dmin/users"))).isTrue();
        assertThat(admin.test(request("GET", "/admin;jsessionid=1/users"))).isTrue();
        assertThat(admin.test(request("GET", "//admin//users"))).isTrue();
        assertThat(admin.test(request("GET", "/adm%69n"))).isTrue();
        assertThat(Conditions.requestTo("/caf\u00e9/*").test(request("GET", "/caf%C3%A9/x"))).isTrue();
    }

    @Test
    void shouldMatchMethodsAndHeadersAndCombine() {
        Predicate<MirrorRequest> reads = Conditions.methods("get", "HEAD");
        assertThat(reads.test(request("GET", "/"))).isTrue();
        assertThat(reads.test(request("POST", "/"))).isFalse();
        assertThat(Conditions.header("x-tenant").test(request("GET", "/"))).isTrue();
        assertThat(Conditions.header("X-Other").test(request("GET", "/"))).isFalse();
        assertThat(Conditions.header("X-Tenant", "acme").test(request("GET", "/"))).isTrue();
        assertThat(Conditions.header("X-Tenant", "ACME").test(request("GET", "/"))).isFalse();
        assertThat(Conditions.headerMatches("X-Tenant", "ac.*").test(request("GET", "/"))).isTrue();
        assertThat(Conditions.headerMatches("X-Tenant", "c").test(request("GET", "/"))).as("whole value").isFalse();
        MirrorRequest twoValues = MirrorRequest.builder("GET", "/").header("X-V", "1").header("X-V", "2").build();
        assertThat(Conditions.header("X-V", "2").test(twoValues)).isTrue();

        Predicate<MirrorRequest> combined = Conditions.requestTo("/api/**")
                .and(Conditions.requestTo("/api/internal/**").negate())
                .and(reads.or(Conditions.header("X-Mirror-Writes", "yes")));
        assertThat(combined.test(request("GET", "/api/a"))).isTrue();
        assertThat(combined.test(request("GET", "/api/internal/a"))).isFalse();
        assertThat(combined.test(request("POST", "/api/a"))).isFalse();
        assertThat(combined.test(MirrorRequest.builder("POST", "/api/a").header("X-Mirror-Writes", "yes").build())).isTrue();
        assertThat(Conditions.always().test(request("DELETE", "/x"))).isTrue();
        assertThat(Conditions.requestTo("/a/**", "/b")).hasToString("requestTo[/a/**, /b]");
    }

    @Test
    void shouldRejectBadConditionsNamingThem() {
        assertThatThrownBy(() -> Conditions.requestTo("api/**")).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> Conditions.requestTo("/a**")).hasMessageContaining("whole segment");
        assertThatThrownBy(() -> Conditions.requestTo()).hasMessageContaining("requestTo");
        assertThatThrownBy(() -> Conditions.methods("GET POST")).hasMessageContaining("methods");
        assertThatThrownBy(() -> Conditions.header("Bad Name")).hasMessageContaining("not a header name");
        assertThatThrownBy(() -> Conditions.statusBetween(500, 400)).hasMessageContaining("statusBetween");
        assertThat(Conditions.successful().test(204)).isTrue();
        assertThat(Conditions.successful().test(302)).isFalse();
        assertThat(Conditions.statusBetween(200, 399).test(302)).isTrue();
    }

    @Test
    void shouldDecideBeforeTheBodyAndCountRefusedRequestsAsExcluded() throws Exception {
        mirror = Mirror.builder()
                .target(MirrorTarget.of("shadow", shadow.url("/")))
                .condition(Conditions.requestTo("/api/**"))
                .condition(Conditions.requestTo("/api/admin/**").negate())
                .meterRegistry(registry).build();

        assertThat(mirror.integration().begin(request("GET", "/static/app.js"))).isNull();
        assertThat(mirror.integration().begin(request("GET", "/api/admin/users"))).isNull();
        mirror.submit(request("GET", "/api/users"));

        assertThat(shadow.take().getTarget()).isEqualTo("/api/users");
        assertThat(Meters.count(registry, "shadow", Reason.EXCLUDED)).isEqualTo(2);
        await().untilAsserted(() -> assertThat(Meters.count(registry, "shadow", Reason.NONE)).isEqualTo(1));
        assertThat(shadow.received()).isEqualTo(1);
    }

    @Test
    void shouldApplyATargetsOwnConditionOnlyToThatTarget() throws Exception {
        Shadow reads = new Shadow();
        try {
            mirror = Mirror.builder()
                    .target(MirrorTarget.of("all", shadow.url("/")))
                    .target(MirrorTarget.of("reads", reads.url("/")).condition(Conditions.methods("GET"))
                            .condition(Conditions.header("X-Tenant", "acme")))
                    .meterRegistry(registry).build();

            mirror.submit(request("POST", "/orders"));
            mirror.submit(request("GET", "/orders"));
            mirror.submit(MirrorRequest.builder("GET", "/other-tenant").header("X-Tenant", "x").build());

            assertThat(shadow.take(3)).extracting(RecordedRequest::getTarget)
                    .containsExactlyInAnyOrder("/orders", "/orders", "/other-tenant");
            RecordedRequest read = reads.take();
            assertThat(read.getMethod()).isEqualTo("GET");
            assertThat(read.getTarget()).isEqualTo("/orders");
            assertThat(Meters.count(registry, "reads", Reason.EXCLUDED)).isEqualTo(2);
            assertThat(Meters.count(registry, "all", Reason.EXCLUDED)).isZero();
        } finally {
            mirror.close(Duration.ofSeconds(5));
            reads.close();
        }
    }
}
