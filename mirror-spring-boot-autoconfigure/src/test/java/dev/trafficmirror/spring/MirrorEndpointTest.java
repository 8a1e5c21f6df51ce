package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.JsonPath;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.spring.MirrorEndpoint.MirrorReport;
import dev.trafficmirror.spring.MirrorEndpoint.TargetReport;
import dev.trafficmirror.test.RecordingSink;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

@SuppressWarnings("unchecked")
class MirrorEndpointTest {

    private static final Map<String, Object> DEFAULT_NOISE = Map.of("minimum-samples", 10, "relative-threshold", 20.0,
            "absolute-threshold", 0.03);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class, MirrorEndpointAutoConfiguration.class));

    private final WebApplicationContextRunner exposed = web.withPropertyValues(
            "management.endpoints.web.exposure.include=mirror", "mirror.target=http://reviews-v2:9080");

    /** A target comparing against a sink answering {"id":N,"stars":4}. */
    private final WebApplicationContextRunner comparing = exposed.withPropertyValues("mirror.compare.enabled=true")
            .withBean(MirrorCustomizer.class, () -> builder -> builder.sink((target, request) -> ShadowResponse.of(200,
                    List.of(Map.entry("Content-Type", "application/json")),
                    ("{\"id\":" + request.path().substring(7) + ",\"stars\":4}").getBytes(StandardCharsets.UTF_8),
                    false)));

    @Test
    void shouldBeAvailableOnlyWhenExposed() {
        exposed.run(context -> assertThat(context).hasSingleBean(MirrorEndpoint.class));
        web.withPropertyValues("mirror.target=http://reviews-v2:9080")
                .run(context -> assertThat(context).hasSingleBean(Mirror.class).doesNotHaveBean(MirrorEndpoint.class));
        exposed.withPropertyValues("management.endpoint.mirror.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(MirrorEndpoint.class));
    }

    @Test
    void shouldStayOutWithoutActuatorOrWithoutAMirror() {
        exposed.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Mirror.class)
                        .doesNotHaveBean(MirrorEndpoint.class));
        web.withPropertyValues("management.endpoints.web.exposure.include=mirror")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MirrorEndpoint.class));
    }

    @Test
    void shouldReportTheApplicationsOwnMirrorWithoutProperties() {
        Mirror own = Mirror.builder().target("http://own:1").sink(new RecordingSink()).build();
        web.withPropertyValues("management.endpoints.web.exposure.include=mirror")
                .withBean(Mirror.class, () -> own)
                .run(context -> {
                    MirrorReport report = context.getBean(MirrorEndpoint.class).report();
                    assertThat(report.targets()).extracting(TargetReport::name).containsExactly("own:1");
                    assertThat(report.properties()).isNull();
                    assertThat(report.sections()).containsOnlyKeys("comparisons");
                });
        own.close();
    }

    @Test
    void shouldReportConfigurationCountsAndFailures() {
        exposed.withPropertyValues("mirror.targets[0].name=dead", "mirror.targets[0].url=http://dead:1",
                        "mirror.targets[0].percentage=50", "mirror.timeout=2s")
                .withBean(MirrorCustomizer.class, () -> builder -> builder.sink((target, request) -> {
                    if (target.name().equals("dead")) {
                        throw new ConnectException("refused");
                    }
                    return dev.trafficmirror.core.ShadowResponse.of(200);
                }))
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    MirrorEndpoint endpoint = context.getBean(MirrorEndpoint.class);
                    mirror.setPercentage("dead", 100);
                    mirror.submit(MirrorRequest.builder("DELETE", "/reviews/1").query("token=abc").build());
                    mirror.setPercentage("reviews-v2:9080", 0);
                    mirror.submit(MirrorRequest.builder("GET", "/reviews").build());
                    await().until(() -> endpoint.target("dead").requests() == 2);

                    MirrorReport report = endpoint.report();
                    assertThat(report.enabled()).isTrue();
                    assertThat(report.targets()).extracting(TargetReport::name).containsExactly("reviews-v2:9080", "dead");
                    TargetReport primary = report.targets().get(0);
                    assertThat(primary.url()).isEqualTo("http://reviews-v2:9080");
                    assertThat(primary.percentage()).isZero();
                    assertThat(primary.outcomes()).containsExactly(Map.entry("completed", 1L), Map.entry("failed", 0L),
                            Map.entry("dropped", 0L), Map.entry("skipped", 1L));
                    assertThat(primary.reasons()).containsExactly(Map.entry("none", 1L), Map.entry("sampled_out", 1L));
                    TargetReport dead = report.targets().get(1);
                    assertThat(dead.reasons()).containsExactly(Map.entry("connect", 2L));
                    assertThat(dead.recentFailures()).hasSize(2);
                    MirrorEndpoint.FailureReport newest = dead.recentFailures().get(0);
                    assertThat(newest.reason()).isEqualTo("connect");
                    assertThat(newest.path()).isIn("/reviews", "/reviews/1");
                    assertThat(dead.recentFailures()).extracting(MirrorEndpoint.FailureReport::detail)
                            .containsOnly("java.net.ConnectException: refused");
                    assertThat(report.properties()).containsEntry("timeout", "PT2S")
                            .containsEntry("percentage", 100.0).containsEntry("target", "http://reviews-v2:9080");
                    assertThat(report.properties().get("targets"))
                            .isEqualTo(List.of(Map.of("name", "dead", "url", "http://dead:1", "percentage", 50.0)));
                    assertThat(report.toString()).doesNotContain("token");
                });
    }

    @Test
    void shouldShowRoutingSettingsButNeverHeaderValues() {
        exposed.withPropertyValues("mirror.include-paths=/api/**", "mirror.exclude-paths=/api/admin/**",
                        "mirror.methods=get", "mirror.primary-status=2xx", "mirror.sampling.strategy=sticky",
                        "mirror.sampling.cookie=SESSION", "mirror.headers.remove=Cookie",
                        "mirror.headers.set.Authorization=Bearer s3cr3t-token", "mirror.headers.add.X-Api-Key=k3y-value",
                        "mirror.headers.host=suffix", "mirror.headers.host-value=-shadow",
                        "mirror.targets[0].name=canary", "mirror.targets[0].url=http://canary:8080",
                        "mirror.targets[0].methods=POST", "mirror.targets[0].primary-status=200-399",
                        "mirror.targets[0].sampling.strategy=counter", "mirror.targets[0].headers-only=true",
                        "mirror.targets[0].headers.set.X-Canary-Token=t0ken-value", "mirror.targets[0].headers.host=preserve",
                        "mirror.targets[0].compare=true", "mirror.targets[1].name=control",
                        "mirror.targets[1].url=http://control:8080", "mirror.targets[1].control=true")
                .run(context -> {
                    Map<String, Object> properties = context.getBean(MirrorEndpoint.class).report().properties();
                    assertThat(properties).containsEntry("include-paths", List.of("/api/**"))
                            .containsEntry("exclude-paths", List.of("/api/admin/**"))
                            .containsEntry("exclude-management-endpoints", true)
                            .containsEntry("methods", List.of("GET"))
                            .containsEntry("primary-status", List.of("2xx"))
                            .containsEntry("sampling", Map.of("strategy", "sticky", "cookie", "SESSION"))
                            .containsEntry("headers", Map.of("remove", List.of("Cookie"), "set", List.of("Authorization"),
                                    "add", List.of("X-Api-Key"), "host", "suffix", "host-value", "-shadow"));
                    assertThat(properties.get("targets")).isEqualTo(List.of(Map.of("name", "canary",
                            "url", "http://canary:8080", "methods", List.of("POST"), "primary-status", List.of("200-399"),
                            "sampling", Map.of("strategy", "counter"), "headers-only", true,
                            "headers", Map.of("remove", List.of(), "set", List.of("X-Canary-Token"), "add", List.of(),
                                    "host", "preserve"), "compare", true),
                            Map.of("name", "control", "url", "http://control:8080", "control", true)));
                    assertThat(properties.toString()).doesNotContain("s3cr3t", "k3y", "t0ken");
                });
        exposed.run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().properties())
                .containsEntry("sampling", Map.of("strategy", "random"))
                .containsEntry("headers", Map.of("remove", List.of(), "set", List.of(), "add", List.of(), "host", "target"))
                .containsEntry("methods", List.of())
                .containsEntry("circuit-breaker", Map.of("enabled", true, "failures", 10, "cool-down", "PT10S"))
                .containsEntry("compare", Map.of("enabled", false, "ignore-headers", List.of(), "ignore-paths", List.of(),
                        "unordered-arrays", List.of(), "recent-mismatches", 100, "max-decoded-body-size", "1048576B",
                        "log-interval", "PT10S", "show-values", false, "noise", DEFAULT_NOISE)));
    }

    @Test
    void shouldShowTheCompareSettings() {
        exposed.withPropertyValues("mirror.compare.enabled=true", "mirror.compare.ignore-headers=ETag,X-Backend",
                        "mirror.compare.ignore-paths=$.generatedAt,$.items[*].id", "mirror.compare.unordered-arrays=$.tags",
                        "mirror.compare.recent-mismatches=20", "mirror.compare.max-decoded-body-size=256KB",
                        "mirror.compare.log-interval=1m", "mirror.compare.show-values=true")
                .run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().properties())
                        .containsEntry("compare", Map.of("enabled", true, "ignore-headers", List.of("ETag", "X-Backend"),
                                "ignore-paths", List.of("$.generatedAt", "$.items[*].id"),
                                "unordered-arrays", List.of("$.tags"), "recent-mismatches", 20,
                                "max-decoded-body-size", "262144B", "log-interval", "PT1M", "show-values", true, "noise", DEFAULT_NOISE)));
    }

    @Test
    void shouldShowTheCircuitBreakerSettings() {
        exposed.withPropertyValues("mirror.circuit-breaker.failures=3", "mirror.circuit-breaker.cool-down=1m")
                .run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().properties())
                        .containsEntry("circuit-breaker", Map.of("enabled", true, "failures", 3, "cool-down", "PT1M")));
        exposed.withPropertyValues("mirror.circuit-breaker.enabled=false")
                .run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().properties())
                        .containsEntry("circuit-breaker", Map.of("enabled", false, "failures", 10, "cool-down", "PT10S")));
    }

    @Test
    void shouldPauseResumeAndChangeAPercentage() {
        exposed.run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            MirrorEndpoint endpoint = context.getBean(MirrorEndpoint.class);

            assertThat(endpoint.setEnabled(false).enabled()).isFalse();
            assertThat(mirror.isEnabled()).isFalse();
            assertThat(endpoint.setEnabled(true).enabled()).isTrue();

            assertThat(endpoint.setPercentage("reviews-v2:9080", 0.5).percentage()).isEqualTo(0.5);
            assertThat(mirror.stats().get(0).percentage()).isEqualTo(0.5);
            assertThatThrownBy(() -> endpoint.setPercentage("reviews-v2:9080", 101))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("between 0 and 100");
            assertThatThrownBy(() -> endpoint.setPercentage("nowhere", 1))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("'nowhere'");
            assertThat(endpoint.target("nowhere")).isNull();
        });
    }

    @Test
    void shouldAddTheSectionsOfOtherFeatures() {
        exposed.withBean("deployments", MirrorEndpointSection.class, () -> section("deployments", Map.of("v2", 3)))
                .run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().sections())
                        .containsEntry("deployments", Map.of("v2", 3)).containsOnlyKeys("deployments", "comparisons"));
        exposed.withBean("a", MirrorEndpointSection.class, () -> section("same", 1))
                .withBean("b", MirrorEndpointSection.class, () -> section("same", 2))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("two mirror endpoint sections are named 'same'"));
    }

    @Test
    void shouldShowAnEmptyComparisonsSectionWhileNoTargetCompares() {
        exposed.run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().sections())
                .containsExactly(Map.entry("comparisons", Map.of("json", "jackson_2", "targets", List.of(),
                        "noise", List.of(), "recentMismatches", List.of()))));
    }

    /**
     * The comparisons as numbers, strings and lists: a plain Jackson mapper, without the JSR-310
     * module that Spring Boot 3.5's endpoint mapper has, writes them, and the values of the
     * differences are left out unless asked for.
     */
    @Test
    void shouldShowTheComparisonsAsPlainValuesWithoutTheValuesOfDifferences() {
        comparing.run(context -> {
            String json = compareTwice(context);

            // Spring Boot 3.5's web starter brings Jackson 2, and no Jackson 3.
            assertThat((String) JsonPath.read(json, "$.json")).isEqualTo("jackson_2");
            assertThat((String) JsonPath.read(json, "$.targets[0].name")).isEqualTo("reviews-v2:9080");
            assertThat((Boolean) JsonPath.read(json, "$.targets[0].control")).isFalse();
            assertThat((Integer) JsonPath.read(json, "$.targets[0].compared")).isEqualTo(2);
            assertThat((Map<String, Object>) JsonPath.read(json, "$.targets[0].results"))
                    .containsExactly(Map.entry("match", 1), Map.entry("mismatch", 1), Map.entry("not_comparable", 0),
                            Map.entry("error", 0));
            assertThat((Integer) JsonPath.read(json, "$.targets[0].noise")).isZero();
            assertThat((List<Map<String, Object>>) JsonPath.read(json, "$.targets[0].topFields"))
                    .containsExactlyInAnyOrder(Map.of("path", "$.rating", "kind", "removed", "count", 1),
                            Map.of("path", "$.stars", "kind", "added", "count", 1));
            assertThat((Integer) JsonPath.read(json, "$.targets[0].latency.samples")).isEqualTo(2);
            assertThat((Double) JsonPath.read(json, "$.targets[0].latency.primaryMillis.max")).isEqualTo(3.25);
            assertThat((Double) JsonPath.read(json, "$.targets[0].latency.primaryMillis.p50")).isEqualTo(1.5);
            assertThat((Double) JsonPath.read(json, "$.targets[0].latency.shadowMillis.max")).isPositive();
            assertThat((List<?>) JsonPath.read(json, "$.noise")).isEmpty();
            assertThat((List<?>) JsonPath.read(json, "$.recentMismatches")).hasSize(1);
            Map<String, Object> mismatch = JsonPath.read(json, "$.recentMismatches[0]");
            assertThat(mismatch).containsEntry("target", "reviews-v2:9080").containsEntry("method", "GET")
                    .containsEntry("path", "/items/7").containsEntry("result", "mismatch")
                    .containsEntry("primaryStatus", 200).containsEntry("shadowStatus", 200)
                    .containsEntry("primaryMillis", 3.25).containsEntry("differenceCount", 2).containsEntry("noise", 0)
                    .containsKeys("time", "mirrorId", "shadowMillis").doesNotContainKey("note");
            assertThat(Instant.parse((String) mismatch.get("time"))).isBeforeOrEqualTo(Instant.now());
            assertThat((List<Map<String, Object>>) JsonPath.read(json, "$.recentMismatches[0].differences"))
                    .containsExactlyInAnyOrder(Map.of("path", "$.rating", "kind", "removed"),
                            Map.of("path", "$.stars", "kind", "added"));
            assertThat(json).doesNotContain("token", "s3cret");
        });
    }

    /** 44 mismatches with 60 differences each: the endpoint shows the last 5, 10 differences each. */
    @Test
    void shouldStaySmallHoweverManyMismatchesTheMirrorKeeps() {
        comparing.run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            StringBuilder fields = new StringBuilder("{\"id\":1");
            for (int i = 0; i < 60; i++) {
                fields.append(",\"field").append(i).append("\":").append(i);
            }
            String body = fields.append('}').toString();
            for (int i = 0; i < 44; i++) {
                mirror.integration().submit(MirrorRequest.builder("GET", "/items/" + i).build(),
                        primary(body, Duration.ofMillis(1)));
            }
            await().until(() -> mirror.comparisons().targets().size() == 1
                    && mirror.comparisons().targets().get(0).compared() == 44);
            assertThat(mirror.comparisons().recentMismatches()).hasSize(44);
            String json = new ObjectMapper().writeValueAsString(context.getBean(MirrorEndpoint.class).report());

            assertThat((List<?>) JsonPath.read(json, "$.sections.comparisons.recentMismatches"))
                    .hasSize(ComparisonsSection.SHOWN_MISMATCHES);
            assertThat((List<?>) JsonPath.read(json, "$.sections.comparisons.recentMismatches[0].differences"))
                    .hasSize(ComparisonsSection.SHOWN_DIFFERENCES);
            assertThat((Integer) JsonPath.read(json, "$.sections.comparisons.recentMismatches[0].differenceCount"))
                    .isGreaterThan(ComparisonsSection.SHOWN_DIFFERENCES);
            assertThat(json.length()).as("bytes of JSON").isLessThan(8_000);
        });
    }

    @Test
    void shouldBuildTheReportFromTheReportAndShowValuesProperties() {
        exposed.withPropertyValues("mirror.report.interval=1s", "mirror.report.points=5",
                "spring.application.name=reviews").run(context -> {
                    String page = context.getBean(dev.trafficmirror.report.MirrorReport.class).render();
                    assertThat(page).contains("<h1 id=\"title\">reviews: mirrored traffic</h1>", "interval(s) of 1s",
                            "id=\"traffic-graph\"");
                });
        exposed.withPropertyValues("mirror.report.interval=1ms").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("mirror.report.interval: interval must be at least 10ms"));
        exposed.withPropertyValues("mirror.report.points=1").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("mirror.report.points: points must be from 2 to 10000"));
    }

    @Test
    void shouldShowTheValuesOfDifferencesWhenAskedTo() {
        comparing.withPropertyValues("mirror.compare.show-values=true").run(context -> {
            String json = compareTwice(context);

            assertThat((List<Map<String, Object>>) JsonPath.read(json, "$.recentMismatches[0].differences"))
                    .containsExactlyInAnyOrder(Map.of("path", "$.rating", "kind", "removed", "primary", "\"s3cret\""),
                            Map.of("path", "$.stars", "kind", "added", "shadow", "4"));
        });
    }

    /**
     * One mismatch (the primary has {@code rating} where the shadow has {@code stars}) and one match;
     * returns the comparisons section as JSON.
     */
    private static String compareTwice(AssertableWebApplicationContext context) throws Exception {
        Mirror mirror = context.getBean(Mirror.class);
        mirror.integration().submit(MirrorRequest.builder("GET", "/items/7").query("token=abc").build(),
                primary("{\"id\":7,\"rating\":\"s3cret\"}", Duration.ofNanos(3_250_400)));
        mirror.integration().submit(MirrorRequest.builder("GET", "/items/8").build(),
                primary("{\"stars\":4,\"id\":8}", Duration.ofMillis(1).plusNanos(499_600)));
        await().until(() -> mirror.comparisons().targets().size() == 1
                && mirror.comparisons().targets().get(0).compared() == 2);
        Object section = context.getBean(MirrorEndpoint.class).report().sections().get("comparisons");
        return new ObjectMapper().writeValueAsString(section);
    }

    private static PrimaryResponse primary(String json, Duration latency) {
        return PrimaryResponse.builder(200).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)).latency(latency).build();
    }

    private static MirrorEndpointSection section(String name, Object content) {
        return new MirrorEndpointSection() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Object content() {
                return content;
            }
        };
    }

    @Test
    void shouldNameTargetsAsTheCoreDoes() {
        exposed.run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().targets())
                .extracting(TargetReport::name)
                .containsExactly(MirrorTarget.of("http://reviews-v2:9080").name()));
    }
}
