package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.test.RecordingSink;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The routing properties: which requests are mirrored (paths, methods, Actuator's endpoints,
 * primary status), how each target samples, and how copies' headers and Host look on the wire.
 * Decisions are checked with a {@link RecordingSink}; what the copies look like, on a real shadow.
 */
@ExtendWith(OutputCaptureExtension.class)
class MirrorRoutingPropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class));

    private final RecordingSink recorded = new RecordingSink();

    private final WebApplicationContextRunner recording = web
            .withBean(MirrorCustomizer.class, () -> builder -> builder.sink(recorded));

    private final MockWebServer shadow = new MockWebServer();

    @BeforeEach
    void startShadow() throws IOException {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("shadow").build();
            }
        });
        shadow.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stopShadow() {
        shadow.close();
    }

    private String shadowUrl(String basePath) {
        return "http://127.0.0.1:" + shadow.getPort() + basePath;
    }

    private static MirrorRequest request(String method, String path) {
        return MirrorRequest.builder(method, path).build();
    }

    private static TargetStats stats(Mirror mirror, String target) {
        return mirror.stats().stream().filter(stats -> stats.target().name().equals(target)).findFirst().orElseThrow();
    }

    /** The paths recorded for one target, in arrival order. */
    private List<String> recordedPaths(String target) {
        return recorded.recorded().stream().filter(copy -> copy.target().name().equals(target))
                .map(copy -> copy.request().path()).toList();
    }

    @Test
    void shouldStartWithTargetHostsUsersReallyHave() {
        recording.withPropertyValues("mirror.targets[0].url=http://shadow_v2:19092", "mirror.targets[1].url=http://[::1]:9080",
                        "mirror.targets[2].url=http://shadow.internal.:9080/v2")
                .run(context -> assertThat(context.getBean(Mirror.class).targets()).extracting(MirrorTarget::name)
                        .containsExactly("shadow_v2:19092", "[::1]:9080", "shadow.internal.:9080"));
    }

    @Test
    void shouldTakeCopiesOutOfTheSampledTraceUnlessToldOtherwise() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        for (String mode : new String[] {"", "unsampled", "strip", "propagate"}) {
            recorded.clear();
            recording.withPropertyValues("mirror.target=http://shadow", mode.isEmpty() ? "mirror.enabled=true"
                            : "mirror.trace=" + mode)
                    .run(context -> {
                        context.getBean(Mirror.class).submit(MirrorRequest.builder("GET", "/")
                                .header("traceparent", traceparent).build());
                        String copied = recorded.await(1, WAIT).get(0).request().header("traceparent");
                        switch (mode) {
                            case "strip" -> assertThat(copied).isNull();
                            case "propagate" -> assertThat(copied).isEqualTo(traceparent);
                            default -> assertThat(copied).as(mode)
                                    .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00");
                        }
                    });
        }
    }

    @Test
    void shouldMirrorOnlyIncludedPathsAndMethodsThatAreNotExcluded() {
        recording.withPropertyValues("mirror.target=http://shadow", "mirror.include-paths=/api/**,/health",
                        "mirror.exclude-paths=/api/admin/**", "mirror.methods=get,POST")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(request("GET", "/api/reviews"));
                    mirror.submit(request("POST", "/api"));
                    mirror.submit(request("GET", "/health"));
                    mirror.submit(request("GET", "/other"));              // not included
                    mirror.submit(request("GET", "/api/admin/users"));    // excluded
                    mirror.submit(request("GET", "/api/%61dmin/users"));  // excluded, however spelled
                    mirror.submit(request("DELETE", "/api/reviews/1"));   // method not taken

                    recorded.await(3, WAIT);
                    await().atMost(WAIT).until(() -> stats(mirror, "shadow").count(Reason.NONE) == 3);
                    assertThat(recordedPaths("shadow")).containsExactlyInAnyOrder("/api/reviews", "/api", "/health");
                    assertThat(stats(mirror, "shadow").count(Reason.EXCLUDED)).isEqualTo(4);
                    assertThat(context.getBean(MirrorProperties.class).getMethods()).containsExactly("GET", "POST");
                });
    }

    @Test
    void shouldGiveEachTargetItsOwnPathsAndMethods() {
        recording.withPropertyValues("mirror.exclude-paths=/internal/**",
                        "mirror.targets[0].name=reads", "mirror.targets[0].url=http://reads",
                        "mirror.targets[0].methods=GET,HEAD",
                        "mirror.targets[1].name=orders", "mirror.targets[1].url=http://orders",
                        "mirror.targets[1].include-paths=/orders/**", "mirror.targets[1].exclude-paths=/orders/*/refund")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(request("GET", "/orders/7"));
                    mirror.submit(request("POST", "/orders/7/refund"));
                    mirror.submit(request("POST", "/orders"));
                    mirror.submit(request("GET", "/internal/state"));

                    recorded.await(3, WAIT);
                    await().atMost(WAIT).until(() -> stats(mirror, "reads").count(Reason.NONE)
                            + stats(mirror, "orders").count(Reason.NONE) == 3);
                    assertThat(recordedPaths("reads")).containsExactly("/orders/7");
                    assertThat(recordedPaths("orders")).containsExactlyInAnyOrder("/orders/7", "/orders");
                    assertThat(stats(mirror, "reads").count(Reason.EXCLUDED)).isEqualTo(3);
                    assertThat(stats(mirror, "orders").count(Reason.EXCLUDED)).isEqualTo(2);
                });
    }

    @Test
    void shouldLeaveActuatorOutWhenItSharesTheApplicationsPort() {
        recording.withPropertyValues("mirror.target=http://shadow").run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            mirror.submit(request("GET", "/actuator"));
            mirror.submit(request("GET", "/actuator/health"));
            mirror.submit(request("POST", "/actuator/mirror/shadow"));
            mirror.submit(request("GET", "/actuators"));

            assertThat(recorded.await(1, WAIT)).extracting(copy -> copy.request().path()).containsExactly("/actuators");
            assertThat(stats(mirror, "shadow").count(Reason.EXCLUDED)).isEqualTo(3);
        });
    }

    @Test
    void shouldFindActuatorUnderTheContextPathServletPathAndBasePath() {
        recording.withPropertyValues("mirror.target=http://shadow", "server.servlet.context-path=/shop/",
                        "spring.mvc.servlet.path=/web", "management.endpoints.web.base-path=ops/")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(MirrorRequest.builder("GET", "/shop/web/ops/health").contextPath("/shop").build());
                    mirror.submit(request("GET", "/actuator/health"));

                    assertThat(recorded.await(1, WAIT)).extracting(copy -> copy.request().path())
                            .containsExactly("/actuator/health");
                    assertThat(stats(mirror, "shadow").count(Reason.EXCLUDED)).isEqualTo(1);
                });
    }

    @Test
    void shouldMirrorActuatorRequestsOnlyWhereTheyReachTheFilterAndAreWanted(CapturedOutput output) {
        // management.server.port=8080 with the default server port: the same port, as Spring Boot decides.
        assertActuatorExcluded(true, "management.server.port=8080");
        assertActuatorExcluded(true, "management.server.port=9090", "server.port=9090");
        // A port of its own: its requests never pass the filter; the application's /actuator/... is its own.
        assertActuatorExcluded(false, "management.server.port=8081");
        assertActuatorExcluded(false, "mirror.exclude-management-endpoints=false");
        assertActuatorExcluded(false, "management.endpoints.web.base-path=/");
        assertThat(output).contains("Actuator's endpoints are served at the root of the application's port");
        recorded.clear();
        recording.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .withPropertyValues("mirror.target=http://shadow")
                .run(context -> {
                    context.getBean(Mirror.class).submit(request("GET", "/actuator/health"));
                    assertThat(recorded.await(1, WAIT)).hasSize(1);
                });
    }

    private void assertActuatorExcluded(boolean excluded, String... properties) {
        recorded.clear();
        recording.withPropertyValues("mirror.target=http://shadow").withPropertyValues(properties).run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            mirror.submit(request("GET", "/actuator/health"));
            mirror.submit(request("GET", "/reviews"));
            recorded.await(excluded ? 1 : 2, WAIT);
            assertThat(recordedPaths("shadow")).as("%s", List.of(properties))
                    .contains("/reviews").hasSize(excluded ? 1 : 2);
            assertThat(stats(mirror, "shadow").count(Reason.EXCLUDED)).isEqualTo(excluded ? 1 : 0);
        });
    }

    @Test
    void shouldSampleWithTheConfiguredStrategyPerTarget() {
        recording.withPropertyValues("mirror.percentage=50", "mirror.sampling.strategy=counter",
                        "mirror.targets[0].name=counted", "mirror.targets[0].url=http://counted",
                        "mirror.targets[1].name=also-counted", "mirror.targets[1].url=http://also-counted",
                        "mirror.targets[1].percentage=25",
                        "mirror.targets[2].name=users", "mirror.targets[2].url=http://users",
                        "mirror.targets[2].sampling.strategy=STICKY", "mirror.targets[2].sampling.header=X-User")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    assertThat(mirror.targets()).extracting(target -> target.sampling().map(Object::toString).orElse("-"))
                            .containsExactly("-", "-", "sticky(header X-User)");
                    int users = 40;
                    for (int i = 1; i <= users * 3; i++) {
                        mirror.submit(MirrorRequest.builder("GET", "/r/" + i).header("X-User", "u" + (i % users)).build());
                    }
                    await().atMost(WAIT).until(() -> mirror.stats().stream()
                            .mapToLong(stats -> stats.count(Reason.NONE) + stats.count(Reason.SAMPLED_OUT)).sum() == users * 9L);

                    // Counter at 50 %: the 2nd, 4th, 6th... request; each target counts its own.
                    List<String> even = new ArrayList<>();
                    for (int i = 2; i <= users * 3; i += 2) {
                        even.add("/r/" + i);
                    }
                    assertThat(recordedPaths("counted")).containsExactlyInAnyOrderElementsOf(even);
                    List<String> everyFourth = even.stream().filter(path -> Integer.parseInt(path.substring(3)) % 4 == 0).toList();
                    assertThat(recordedPaths("also-counted")).containsExactlyInAnyOrderElementsOf(everyFourth);
                    // Sticky at 50 %: a user's three requests are all mirrored or none are.
                    Map<String, Integer> perUser = new HashMap<>();
                    recorded.recorded().stream().filter(copy -> copy.target().name().equals("users"))
                            .forEach(copy -> perUser.merge(copy.request().header("X-User"), 1, Integer::sum));
                    assertThat(perUser.values()).containsOnly(3);
                    assertThat(perUser.size()).isBetween(5, users - 5);
                });
    }

    @Test
    void shouldSendHeaderRulesAndHostAsConfiguredPerTarget() throws Exception {
        web.withPropertyValues("mirror.headers.remove=Authorization,X-Debug", "mirror.headers.set.X-Env=shadow",
                        "mirror.headers.add.X-Shadow-Reason=canary", "mirror.headers.host=suffix",
                        "mirror.headers.host-value=-shadow",
                        "mirror.targets[0].name=common", "mirror.targets[0].url=" + shadowUrl("/common"),
                        "mirror.targets[1].name=own", "mirror.targets[1].url=" + shadowUrl("/own"),
                        "mirror.targets[1].headers.host=literal", "mirror.targets[1].headers.host-value=reviews.internal:9080",
                        "mirror.targets[1].headers.set.X-Env=canary", "mirror.targets[1].headers.remove=X-Shadow-Reason")
                .run(context -> {
                    context.getBean(Mirror.class).submit(MirrorRequest.builder("GET", "/reviews")
                            .header("Host", "shop.example:8080").header("Authorization", "Bearer secret")
                            .header("X-Debug", "1").header("X-Env", "prod").header("X-Shadow-Reason", "replay")
                            .header("Accept", "application/json").build());

                    Map<String, RecordedRequest> copies = new HashMap<>();
                    for (int i = 0; i < 2; i++) {
                        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
                        assertThat(copy).isNotNull();
                        copies.put(copy.getTarget(), copy);
                    }
                    RecordedRequest common = copies.get("/common/reviews");
                    assertThat(common.getHeaders().get("Host")).isEqualTo("shop.example-shadow:8080");
                    assertThat(common.getHeaders().get("Authorization")).isNull();
                    assertThat(common.getHeaders().get("X-Debug")).isNull();
                    assertThat(common.getHeaders().values("X-Env")).containsExactly("shadow");
                    assertThat(common.getHeaders().values("X-Shadow-Reason")).containsExactly("replay", "canary");
                    assertThat(common.getHeaders().get("Accept")).isEqualTo("application/json");
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < common.getHeaders().size(); i++) {
                        names.add(common.getHeaders().name(i));
                    }
                    assertThat(names).contains("X-Env", "X-Shadow-Reason"); // as spelled in the properties

                    // The target's rules run after the mirror's; its Host replaces the mirror's.
                    RecordedRequest own = copies.get("/own/reviews");
                    assertThat(own.getHeaders().get("Host")).isEqualTo("reviews.internal:9080");
                    assertThat(own.getHeaders().get("Authorization")).isNull();
                    assertThat(own.getHeaders().values("X-Env")).containsExactly("canary");
                    assertThat(own.getHeaders().get("X-Shadow-Reason")).isNull();
                });
    }

    @Test
    void shouldSendTheTargetsHostByDefaultAndTheRequestsWhenPreserved() throws Exception {
        web.withPropertyValues("mirror.targets[0].name=default", "mirror.targets[0].url=" + shadowUrl("/default"),
                        "mirror.targets[1].name=preserved", "mirror.targets[1].url=" + shadowUrl("/preserved"),
                        "mirror.targets[1].headers.host=preserve")
                .run(context -> {
                    context.getBean(Mirror.class).submit(MirrorRequest.builder("GET", "/x")
                            .header("Host", "shop.example:8080").build());
                    Map<String, String> hostByTarget = new HashMap<>();
                    for (int i = 0; i < 2; i++) {
                        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
                        assertThat(copy).isNotNull();
                        hostByTarget.put(copy.getTarget(), copy.getHeaders().get("Host"));
                    }
                    assertThat(hostByTarget).containsExactlyInAnyOrderEntriesOf(Map.of(
                            "/default/x", "127.0.0.1:" + shadow.getPort(), "/preserved/x", "shop.example:8080"));
                });
    }

    @Test
    void shouldMirrorPerPrimaryStatusAndHeadersOnlyPerTarget() throws Exception {
        web.withPropertyValues("mirror.primary-status=2xx,304",
                        "mirror.targets[0].name=successes", "mirror.targets[0].url=" + shadowUrl("/successes"),
                        "mirror.targets[1].name=failures", "mirror.targets[1].url=" + shadowUrl("/failures"),
                        "mirror.targets[1].primary-status=400-499,5XX",
                        "mirror.targets[2].name=routing", "mirror.targets[2].url=" + shadowUrl("/routing"),
                        "mirror.targets[2].primary-status=100-599", "mirror.targets[2].headers-only=true")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(post("/ok"), 201);
                    mirror.submit(post("/not-modified"), 304);
                    mirror.submit(post("/missing"), 404);
                    mirror.submit(post("/broken"), 503);

                    List<String> received = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
                        assertThat(copy).isNotNull();
                        received.add(copy.getTarget());
                        if (copy.getTarget().startsWith("/routing/")) {
                            assertThat(copy.getBodySize()).isZero();
                            assertThat(copy.getHeaders().get("Content-Length")).isEqualTo("0");
                            assertThat(copy.getHeaders().get("Content-Type")).isNull();
                        } else {
                            assertThat(copy.getBody().utf8()).isEqualTo("{\"stars\":5}");
                        }
                    }
                    assertThat(received).containsExactlyInAnyOrder("/successes/ok", "/successes/not-modified",
                            "/failures/missing", "/failures/broken",
                            "/routing/ok", "/routing/not-modified", "/routing/missing", "/routing/broken");
                    await().atMost(WAIT).until(() -> stats(mirror, "routing").count(Reason.NONE) == 4);
                    assertThat(stats(mirror, "successes").count(Reason.PRIMARY_STATUS)).isEqualTo(2);
                    assertThat(stats(mirror, "failures").count(Reason.PRIMARY_STATUS)).isEqualTo(2);
                    assertThat(mirror.targets()).extracting(MirrorTarget::isHeadersOnly).containsExactly(false, false, true);
                });
    }

    private static MirrorRequest post(String path) {
        return MirrorRequest.builder("POST", path).header("Content-Type", "application/json")
                .body("{\"stars\":5}".getBytes()).build();
    }

    @Test
    void shouldReadRoutingFromEnvironmentVariables() {
        recording.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.<String, Object>of("MIRROR_TARGET", "http://shadow",
                                        "MIRROR_EXCLUDE_PATHS", "/admin/**,/login",
                                        "MIRROR_SAMPLING_STRATEGY", "COUNTER",
                                        "MIRROR_HEADERS_REMOVE", "Authorization"))))
                .run(context -> {
                    MirrorProperties properties = context.getBean(MirrorProperties.class);
                    assertThat(properties.getExcludePaths()).containsExactly("/admin/**", "/login");
                    assertThat(properties.getSampling().getStrategy()).isEqualTo(MirrorProperties.SamplingStrategy.COUNTER);
                    assertThat(properties.getHeaders().getRemove()).containsExactly("Authorization");
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(request("GET", "/login"));
                    assertThat(stats(mirror, "shadow").count(Reason.EXCLUDED)).isEqualTo(1);
                });
    }
}
