package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.RecordingSink;
import dev.trafficmirror.spring.MirrorEndpoint.MirrorReport;
import dev.trafficmirror.spring.MirrorEndpoint.TargetReport;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

class MirrorEndpointTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class, MirrorEndpointAutoConfiguration.class));

    private final WebApplicationContextRunner exposed = web.withPropertyValues(
            "management.endpoints.web.exposure.include=mirror", "mirror.target=http://reviews-v2:9080");

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
                        "mirror.targets[0].headers.set.X-Canary-Token=t0ken-value", "mirror.targets[0].headers.host=preserve")
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
                                    "host", "preserve"))));
                    assertThat(properties.toString()).doesNotContain("s3cr3t", "k3y", "t0ken");
                });
        exposed.run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().properties())
                .containsEntry("sampling", Map.of("strategy", "random"))
                .containsEntry("headers", Map.of("remove", List.of(), "set", List.of(), "add", List.of(), "host", "target"))
                .containsEntry("methods", List.of())
                .containsEntry("circuit-breaker", Map.of("enabled", true, "failures", 10, "cool-down", "PT10S")));
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
        exposed.withBean("comparisons", MirrorEndpointSection.class, () -> section("comparisons", Map.of("match", 3)))
                .run(context -> assertThat(context.getBean(MirrorEndpoint.class).report().sections())
                        .containsExactly(Map.entry("comparisons", Map.of("match", 3))));
        exposed.withBean("a", MirrorEndpointSection.class, () -> section("same", 1))
                .withBean("b", MirrorEndpointSection.class, () -> section("same", 2))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("two mirror endpoint sections are named 'same'"));
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
