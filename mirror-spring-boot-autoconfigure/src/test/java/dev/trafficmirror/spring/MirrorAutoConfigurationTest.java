package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.RecordingSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

class MirrorAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class));

    @Test
    void shouldRegisterNothingWithoutATarget() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(Mirror.class);
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    @Test
    void shouldRegisterTheFilterForRequestAndAsyncWithATarget() {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.percentage=12.5").run(context -> {
            assertThat(context).hasSingleBean(Mirror.class);
            Mirror mirror = context.getBean(Mirror.class);
            assertThat(mirror.targets()).extracting(MirrorTarget::url).containsExactly("http://reviews-v2:9080");
            FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
            assertThat(registration.getOrder()).isEqualTo(MirrorAutoConfiguration.FILTER_ORDER);
            assertThat(registration.isAsyncSupported()).isTrue();
        });
    }

    @Test
    void shouldBeOffWhenDisabled() {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Mirror.class));
    }

    @Test
    void shouldStayOutOfNonWebApplications() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class))
                .withPropertyValues("mirror.target=http://reviews-v2:9080")
                .run(context -> assertThat(context).doesNotHaveBean(Mirror.class));
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
    void shouldBackOffForTheApplicationsOwnMirrorAndApplyCustomizers() {
        RecordingSink sink = new RecordingSink();
        web.withPropertyValues("mirror.target=http://reviews-v2:9080")
                .withBean(MirrorCustomizer.class, () -> builder -> builder.sink(sink).maxBodySize(7))
                .run(context -> assertThat(context.getBean(Mirror.class).maxBodySize()).isEqualTo(7));
        Mirror own = Mirror.builder().target("http://own:1").sink(sink).build();
        web.withPropertyValues("mirror.target=http://reviews-v2:9080")
                .withBean(Mirror.class, () -> own)
                .run(context -> assertThat(context.getBean(Mirror.class)).isSameAs(own));
    }

    @Test
    void shouldFailStartUpNamingABadProperty() {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.percentage=150").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("between 0 and 100");
            assertThat(context.getStartupFailure()).hasMessageContaining("mirror");
        });
        web.withPropertyValues("mirror.target=ftp://reviews-v2").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("http://");
        });
    }
}
