package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorSink;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.servlet.MirrorFilter;
import dev.trafficmirror.test.RecordingSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

class MirrorAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class));

    private static MirrorRequest post(int bodyBytes) {
        return MirrorRequest.builder("POST", "/orders").body(new byte[bodyBytes]).build();
    }

    private static TargetStats stats(Mirror mirror) {
        return mirror.stats().get(0);
    }

    @Test
    void shouldRegisterNothingWithoutATarget() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(Mirror.class);
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
            assertThat(context).doesNotHaveBean(MirrorProperties.class);
        });
        web.withPropertyValues("mirror.target=", "mirror.percentage=5")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Mirror.class));
    }

    @Test
    void shouldRegisterTheFilterFirstForRequestAndAsyncDispatches() {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.percentage=12.5").run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            assertThat(mirror.targets()).extracting(MirrorTarget::url).containsExactly("http://reviews-v2:9080");
            assertThat(stats(mirror).percentage()).isEqualTo(12.5);
            FilterRegistrationBean<?> registration = context.getBean(
                    MirrorAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(MirrorFilter.class);
            assertThat(registration.getOrder()).isEqualTo(MirrorAutoConfiguration.FILTER_ORDER);
            assertThat(registration.determineDispatcherTypes())
                    .isEqualTo(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            assertThat(registration.isAsyncSupported()).isTrue();
            assertThat(registration.getUrlPatterns()).isEmpty(); // every request
        });
    }

    @Test
    void shouldPutTheFilterWhereMirrorFilterOrderSays() {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.filter.order=-50").run(context -> {
            FilterRegistrationBean<?> registration = context.getBean(
                    MirrorAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class);
            assertThat(registration.getOrder()).isEqualTo(-50);
        });
    }

    @Test
    void shouldTurnOnWithOnlyAListOfTargetsAndCombineItWithTheSingleTarget() {
        web.withPropertyValues("mirror.targets[0].url=http://reviews-v2:9080")
                .run(context -> assertThat(context.getBean(Mirror.class).targets()).extracting(MirrorTarget::name)
                        .containsExactly("reviews-v2:9080"));
        web.withPropertyValues("mirror.target=http://one:8080", "mirror.percentage=50",
                        "mirror.targets[0].name=two", "mirror.targets[0].url=https://two.internal/base/",
                        "mirror.targets[0].percentage=2.5", "mirror.targets[1].url=http://three")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    assertThat(mirror.targets()).extracting(MirrorTarget::name)
                            .containsExactly("one:8080", "two", "three");
                    assertThat(mirror.targets()).extracting(MirrorTarget::url)
                            .containsExactly("http://one:8080", "https://two.internal/base", "http://three");
                    assertThat(mirror.stats()).extracting(TargetStats::percentage).containsExactly(50.0, 2.5, 50.0);
                });
    }

    @Test
    void shouldReadTargetsFromEnvironmentVariables() {
        web.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.<String, Object>of("MIRROR_TARGETS_0_NAME", "env", "MIRROR_TARGETS_0_URL", "http://from-env:1"))))
                .run(context -> assertThat(context.getBean(Mirror.class).targets()).extracting(MirrorTarget::name)
                        .containsExactly("env"));
    }

    @Test
    void shouldBindSizesAndDurationsInEveryUsualForm() {
        web.withPropertyValues("mirror.target=http://shadow", "mirror.max-body-size=2KB",
                        "mirror.connect-timeout=250ms", "mirror.timeout=3s", "mirror.max-concurrent=4",
                        "mirror.queue-capacity=0", "mirror.max-buffered-bytes=8MB",
                        "mirror.response-capture-limit=1024", "mirror.drain-timeout=0")
                .run(context -> {
                    MirrorProperties properties = context.getBean(MirrorProperties.class);
                    assertThat(properties.getMaxBodySize()).isEqualTo(DataSize.ofKilobytes(2));
                    assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(properties.getTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(properties.getMaxConcurrent()).isEqualTo(4);
                    assertThat(properties.getQueueCapacity()).isZero();
                    assertThat(properties.getMaxBufferedBytes()).isEqualTo(DataSize.ofMegabytes(8));
                    assertThat(properties.getResponseCaptureLimit()).isEqualTo(DataSize.ofBytes(1024));
                    assertThat(properties.getDrainTimeout()).isZero();
                    assertThat(context.getBean(Mirror.class).integration().maxBodySize()).isEqualTo(2048);
                });
    }

    @Test
    void shouldBuildTheMirrorWithTheCapacityProperties() {
        CountDownLatch release = new CountDownLatch(1);
        MirrorSink blocking = (target, request) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ShadowResponse.of(200);
        };
        web.withPropertyValues("mirror.target=http://shadow", "mirror.max-concurrent=1", "mirror.queue-capacity=0",
                        "mirror.max-buffered-bytes=3KB", "mirror.max-body-size=8KB")
                .withBean(MirrorCustomizer.class, () -> builder -> builder.sink(blocking))
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(post(1024));      // takes the only sender
                    mirror.submit(post(1024));      // no sender, no queue
                    mirror.submit(post(2560));      // 1 KB + 2.5 KB > 3 KB buffered
                    mirror.submit(post(8 * 1024 + 1));
                    TargetStats stats = stats(mirror);
                    assertThat(stats.count(Reason.QUEUE_FULL)).isEqualTo(1);
                    assertThat(stats.count(Reason.MEMORY_BUDGET)).isEqualTo(1);
                    assertThat(stats.count(Reason.BODY_TOO_LARGE)).isEqualTo(1);
                    release.countDown();
                    await().untilAsserted(() -> assertThat(stats(mirror).count(Reason.NONE)).isEqualTo(1));
                });
    }

    @Test
    void shouldSendWithTheTimeoutProperty() throws IOException {
        // Connections complete in the backlog; nothing ever answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            web.withPropertyValues("mirror.target=http://127.0.0.1:" + silent.getLocalPort(), "mirror.timeout=200ms",
                            "mirror.drain-timeout=0")
                    .run(context -> {
                        Mirror mirror = context.getBean(Mirror.class);
                        mirror.submit(post(1));
                        await().atMost(Duration.ofSeconds(5))
                                .untilAsserted(() -> assertThat(stats(mirror).count(Reason.TIMEOUT)).isEqualTo(1));
                    });
        }
    }

    @Test
    void shouldPauseAFailingTargetAsTheCircuitBreakerPropertiesSay() {
        MirrorSink refusing = (target, request) -> {
            throw new ConnectException("refused");
        };
        WebApplicationContextRunner failing = web.withPropertyValues("mirror.target=http://shadow")
                .withBean(MirrorCustomizer.class, () -> builder -> builder.sink(refusing));

        failing.withPropertyValues("mirror.circuit-breaker.failures=2", "mirror.circuit-breaker.cool-down=1m")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    failOneByOne(mirror, 2);
                    mirror.submit(post(1));
                    mirror.submit(post(1));
                    assertThat(stats(mirror).count(Reason.CIRCUIT_OPEN)).isEqualTo(2);
                    assertThat(stats(mirror).count(Reason.CONNECT)).isEqualTo(2);
                });

        failing.withPropertyValues("mirror.circuit-breaker.failures=1", "mirror.circuit-breaker.cool-down=200ms")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    failOneByOne(mirror, 1);
                    mirror.submit(post(1));
                    assertThat(stats(mirror).count(Reason.CIRCUIT_OPEN)).isEqualTo(1);
                    // Requests keep coming, one per poll: once the cool-down is over, one of them probes
                    // (the default cool-down, 10 s, would not let it through in time).
                    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
                        mirror.submit(post(1));
                        return stats(mirror).count(Reason.CONNECT) == 2;
                    });
                });

        // More failures than the default breaker (10) takes, and none of them pauses the target.
        failing.withPropertyValues("mirror.circuit-breaker.enabled=false").run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            failOneByOne(mirror, 12);
            assertThat(stats(mirror).count(Reason.CIRCUIT_OPEN)).isZero();
        });
    }

    /** Submits {@code copies} copies, each once the previous one has failed, so the breaker has seen it. */
    private static void failOneByOne(Mirror mirror, int copies) {
        for (int i = 1; i <= copies; i++) {
            mirror.submit(post(1));
            long failed = i;
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .untilAsserted(() -> assertThat(stats(mirror).count(Reason.CONNECT)).isEqualTo(failed));
        }
    }

    @Test
    void shouldBeOffWhenDisabled() {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Mirror.class).doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void shouldStayOutOfNonServletApplications() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class))
                .withPropertyValues("mirror.target=http://reviews-v2:9080")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Mirror.class));
        new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class))
                .withPropertyValues("mirror.target=http://reviews-v2:9080")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Mirror.class));
    }

    @Test
    void shouldStayOutWithoutTheServletFilterOnTheClassPath() {
        web.withClassLoader(new FilteredClassLoader(MirrorFilter.class))
                .withPropertyValues("mirror.target=http://reviews-v2:9080")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Mirror.class));
    }

    @Test
    void shouldUseTheContextsMeterRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        web.withPropertyValues("mirror.target=http://reviews-v2:9080")
                .withBean(MeterRegistry.class, () -> registry)
                .run(context -> assertThat(registry.find("mirror.requests").tag("target", "reviews-v2:9080").counters())
                        .isNotEmpty());
    }

    @Test
    void shouldApplyEveryCustomizerInOrderAfterTheProperties() {
        RecordingSink sink = new RecordingSink();
        List<String> applied = new ArrayList<>();
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.max-body-size=1KB")
                .withBean("second", MirrorCustomizer.class, () -> new OrderedCustomizer(2, builder -> {
                    applied.add("second");
                    builder.maxBodySize(7);
                }))
                .withBean("first", MirrorCustomizer.class, () -> new OrderedCustomizer(1, builder -> {
                    applied.add("first");
                    builder.maxBodySize(5).sink(sink);
                }))
                .run(context -> {
                    assertThat(applied).containsExactly("first", "second");
                    Mirror mirror = context.getBean(Mirror.class);
                    assertThat(mirror.integration().maxBodySize()).isEqualTo(7);
                    mirror.submit(post(3));
                    assertThat(sink.await(1, Duration.ofSeconds(5))).hasSize(1);
                });
    }

    @Test
    void shouldBackOffForTheApplicationsOwnMirror() {
        Mirror own = Mirror.builder().target("http://own:1").sink(new RecordingSink()).build();
        web.withPropertyValues("mirror.target=http://reviews-v2:9080")
                .withBean(Mirror.class, () -> own)
                .run(context -> {
                    assertThat(context.getBean(Mirror.class)).isSameAs(own);
                    FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
                    assertThat(registration.getFilter()).isInstanceOf(MirrorFilter.class);
                });
        own.close();
    }

    @Test
    void shouldBackOffForTheApplicationsOwnFilterOrRegistration() {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080").withUserConfiguration(OwnFilter.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(Mirror.class);
                    assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
                });
        web.withPropertyValues("mirror.target=http://reviews-v2:9080").withUserConfiguration(OwnRegistration.class)
                .run(context -> assertThat(context.getBeansOfType(FilterRegistrationBean.class)).containsOnlyKeys("own"));
        web.withPropertyValues("mirror.target=http://reviews-v2:9080").withUserConfiguration(SameName.class)
                .run(context -> assertThat(context.getBean(MirrorAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME,
                        FilterRegistrationBean.class).getFilter()).isNotInstanceOf(MirrorFilter.class));
    }

    @Test
    void shouldCloseTheMirrorWithTheContextAfterDrainingInFlightCopies() {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink(request -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ShadowResponse.of(200);
        });
        web.withPropertyValues("mirror.target=http://reviews-v2:9080")
                .withBean(MirrorCustomizer.class, () -> builder -> builder.sink(sink))
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(post(1));
                    sink.await(1, Duration.ofSeconds(5));

                    CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
                    await().until(() -> !mirror.isEnabled());
                    assertThat(closing).isNotDone(); // waiting for the copy in flight
                    release.countDown();
                    closing.get(5, TimeUnit.SECONDS);

                    assertThat(stats(mirror).count(Reason.NONE)).isEqualTo(1);
                    mirror.submit(post(1));
                    assertThat(stats(mirror).count(Reason.SHUTDOWN)).isEqualTo(1);
                });
    }

    @Test
    void shouldCancelWhatIsStillInFlightAfterTheDrainTimeout() {
        CountDownLatch aborted = new CountDownLatch(1);
        MirrorSink stuck = new MirrorSink() {
            @Override
            public ShadowResponse send(MirrorTarget target, MirrorRequest request) throws IOException {
                try {
                    aborted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("Canceled");
            }

            @Override
            public void close() {
                aborted.countDown();
            }
        };
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.drain-timeout=100ms")
                .withBean(MirrorCustomizer.class, () -> builder -> builder.sink(stuck))
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(post(1));
                    long start = System.nanoTime();
                    context.close();
                    // The default drain timeout (5 s) would not have let close() return this soon.
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
                    assertThat(aborted.getCount()).isZero();
                    assertThat(stats(mirror).count(Reason.SHUTDOWN)).isEqualTo(1);
                });
    }

    private record OrderedCustomizer(int order, Consumer<Mirror.Builder> action) implements MirrorCustomizer, Ordered {
        @Override
        public void customize(Mirror.Builder builder) {
            action.accept(builder);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFilter {
        @Bean
        MirrorFilter ownMirrorFilter(Mirror mirror) {
            return new MirrorFilter(mirror);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistration {
        @Bean
        FilterRegistrationBean<MirrorFilter> own(Mirror mirror) {
            FilterRegistrationBean<MirrorFilter> registration = new FilterRegistrationBean<>(new MirrorFilter(mirror));
            registration.addUrlPatterns("/api/*");
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SameName {
        @Bean(MirrorAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME)
        FilterRegistrationBean<Filter> replacement() {
            return new FilterRegistrationBean<>((request, response, chain) -> chain.doFilter(request, response));
        }
    }
}
