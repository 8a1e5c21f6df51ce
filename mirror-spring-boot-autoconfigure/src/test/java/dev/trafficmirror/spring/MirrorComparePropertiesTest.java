package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonListener;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.ComparisonSummary.TargetSummary;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The comparison properties against a real shadow (a MockWebServer): which targets compare, what
 * the {@code mirror.compare} counter says, and that every option reaches the comparison.
 *
 * <p>The primary's answer is {@code {"id":7,"tags":["a","b"],"at":"primary"}}; the shadow's has the
 * tags in the other order, its own {@code at}, and an {@code X-Backend} header; under {@code /v2}
 * it also adds {@code "stars":4}.
 */
class MirrorComparePropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PRIMARY_BODY = "{\"id\":7,\"tags\":[\"a\",\"b\"],\"at\":\"primary\"}";

    private final MockWebServer shadow = new MockWebServer();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry);

    @BeforeEach
    void startShadow() throws IOException {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String stars = request.getTarget().startsWith("/v2/") ? ",\"stars\":4" : "";
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .addHeader("X-Backend", "shadow-" + System.nanoTime())
                        .body("{\"id\":7,\"tags\":[\"b\",\"a\"],\"at\":\"" + System.nanoTime() + "\"" + stars + "}")
                        .build();
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

    /** A GET the primary answered with {@link #PRIMARY_BODY}, handed over for comparison. */
    private static void submit(Mirror mirror) {
        mirror.integration().submit(MirrorRequest.builder("GET", "/items/7").build(), PrimaryResponse.builder(200)
                .header("Content-Type", "application/json")
                .body(PRIMARY_BODY.getBytes(StandardCharsets.UTF_8))
                .latency(Duration.ofMillis(3))
                .build());
    }

    private double compared(String target, String result) {
        Counter counter = registry.find("mirror.compare").tag("target", target).tag("result", result).counter();
        return counter == null ? -1 : counter.count();
    }

    private void awaitCompared(Mirror mirror, String target, long count) {
        await().atMost(WAIT).until(() -> {
            TargetSummary summary = mirror.comparisons().target(target);
            return summary != null && summary.compared() == count;
        });
    }

    @Test
    void shouldCompareEveryTargetWithCompareEnabledAndCountTheResults() {
        web.withPropertyValues("mirror.target=" + shadowUrl(""), "mirror.compare.enabled=true").run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            String target = mirror.targets().get(0).name();
            assertThat(mirror.targets()).allMatch(MirrorTarget::compares);

            submit(mirror);
            awaitCompared(mirror, target, 1);

            assertThat(compared(target, "mismatch")).isEqualTo(1.0);
            assertThat(compared(target, "match")).isZero();
            assertThat(compared(target, "not_comparable")).isZero();
            assertThat(compared(target, "error")).isZero();
            Comparison mismatch = mirror.comparisons().recentMismatches().get(0);
            // Without options: the header, the timestamp and the order of the tags all differ.
            assertThat(mismatch.differences()).extracting(Difference::path)
                    .containsExactlyInAnyOrder("header:x-backend", "$.at", "$.tags[0]", "$.tags[1]");
        });
    }

    @Test
    void shouldCompareNothingByDefault() {
        web.withPropertyValues("mirror.target=" + shadowUrl("")).run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            String target = mirror.targets().get(0).name();
            assertThat(mirror.targets()).noneMatch(MirrorTarget::compares);

            submit(mirror);
            await().atMost(WAIT).until(() -> mirror.stats().get(0).requests() == 1);

            assertThat(shadow.getRequestCount()).isEqualTo(1);
            assertThat(mirror.stats().get(0).count(Reason.NONE)).isEqualTo(1);
            assertThat(registry.find("mirror.compare").meters()).isEmpty();
            assertThat(mirror.comparisons()).isEqualTo(ComparisonSummary.empty());
            assertThat(compared(target, "mismatch")).isEqualTo(-1);
        });
    }

    @Test
    void shouldApplyTheIgnoreAndOrderOptions() {
        web.withPropertyValues("mirror.target=" + shadowUrl(""), "mirror.compare.enabled=true",
                        "mirror.compare.ignore-headers=x-backend", "mirror.compare.ignore-paths=$..at",
                        "mirror.compare.unordered-arrays=$.tags", "mirror.compare.recent-mismatches=0",
                        "mirror.compare.max-decoded-body-size=64KB", "mirror.compare.log-interval=0")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    String target = mirror.targets().get(0).name();

                    submit(mirror);
                    awaitCompared(mirror, target, 1);

                    assertThat(compared(target, "match")).isEqualTo(1.0);
                    assertThat(compared(target, "mismatch")).isZero();
                    CompareOptions options = context.getBean(MirrorBuilderConfigurer.class).compareOptions().build();
                    assertThat(options.ignoredHeaders()).contains("x-backend", "date");
                    assertThat(options.recentMismatches()).isZero();
                    assertThat(options.maxDecodedBodySize()).isEqualTo(64 * 1024);
                    assertThat(options.logInterval()).isZero();
                });
    }

    @Test
    void shouldKeepNoRecentMismatchWhenAskedToButCountThem() {
        web.withPropertyValues("mirror.target=" + shadowUrl(""), "mirror.compare.enabled=true",
                        "mirror.compare.recent-mismatches=0")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    String target = mirror.targets().get(0).name();

                    submit(mirror);
                    awaitCompared(mirror, target, 1);

                    assertThat(compared(target, "mismatch")).isEqualTo(1.0);
                    assertThat(mirror.comparisons().recentMismatches()).isEmpty();
                });
    }

    @Test
    void shouldLetEachTargetChooseAndSetTheNoiseAsideWithTheControl() {
        List<Comparison> seen = new CopyOnWriteArrayList<>();
        web.withPropertyValues("mirror.compare.unordered-arrays=$.tags",
                        "mirror.targets[0].name=v2", "mirror.targets[0].url=" + shadowUrl("/v2"),
                        "mirror.targets[0].compare=true",
                        "mirror.targets[1].name=v1-control", "mirror.targets[1].url=" + shadowUrl("/v1"),
                        "mirror.targets[1].control=true",
                        "mirror.targets[2].name=plain", "mirror.targets[2].url=" + shadowUrl("/plain"))
                .withUserConfiguration(AddsAListener.class)
                .withBean(ComparisonListener.class, () -> seen::add)
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    assertThat(mirror.targets()).extracting(MirrorTarget::compares).containsExactly(true, true, false);
                    assertThat(mirror.targets()).extracting(MirrorTarget::isControl).containsExactly(false, true, false);

                    submit(mirror);
                    awaitCompared(mirror, "v2", 1);
                    awaitCompared(mirror, "v1-control", 1);
                    await().atMost(WAIT).until(() -> shadow.getRequestCount() == 3);

                    ComparisonSummary summary = mirror.comparisons();
                    assertThat(summary.targets()).extracting(TargetSummary::target).containsExactly("v2", "v1-control");
                    assertThat(summary.target("v1-control").control()).isTrue();
                    // $.at and X-Backend differ on the control too: noise. Only v2's new field is left.
                    Comparison v2 = summary.recentMismatches().get(0);
                    assertThat(v2.target()).isEqualTo("v2");
                    assertThat(v2.differences()).extracting(Difference::path).containsExactly("$.stars");
                    assertThat(v2.noise()).isEqualTo(2);
                    assertThat(compared("v2", "mismatch")).isEqualTo(1.0);
                    assertThat(compared("plain", "mismatch")).isEqualTo(-1);
                    // The listener added by the customizer sees both comparisons.
                    await().atMost(WAIT).untilAsserted(() -> assertThat(seen).extracting(Comparison::target)
                            .containsExactlyInAnyOrder("v2", "v1-control"));
                });
    }

    @Test
    void shouldOptATargetOutOfCompareEnabled() {
        web.withPropertyValues("mirror.compare.enabled=true",
                        "mirror.targets[0].name=compared", "mirror.targets[0].url=" + shadowUrl("/a"),
                        "mirror.targets[1].name=not-compared", "mirror.targets[1].url=" + shadowUrl("/b"),
                        "mirror.targets[1].compare=false")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    assertThat(mirror.targets()).extracting(MirrorTarget::compares).containsExactly(true, false);

                    submit(mirror);
                    awaitCompared(mirror, "compared", 1);
                    await().atMost(WAIT).until(() -> shadow.getRequestCount() == 2);

                    assertThat(compared("compared", "mismatch")).isEqualTo(1.0);
                    assertThat(registry.find("mirror.compare").tag("target", "not-compared").meters()).isEmpty();
                });
    }

    /** What properties cannot say, on top of them: the options from the properties, plus a listener. */
    @Configuration(proxyBeanMethods = false)
    static class AddsAListener {
        @Bean
        MirrorCustomizer addListener(MirrorBuilderConfigurer properties, ComparisonListener listener) {
            return builder -> builder.comparison(properties.compareOptions().listener(listener).build());
        }
    }
}
