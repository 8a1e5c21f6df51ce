package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Mirrors a servlet application's requests when {@code mirror.target} is set: a {@link Mirror}
 * built from {@code mirror.*} properties (closed with the context) and a {@link MirrorFilter}
 * registered for REQUEST and ASYNC dispatches.
 *
 * <p>The filter sits right after Spring's CharacterEncodingFilter ({@code HIGHEST_PRECEDENCE}),
 * ahead of everything that may read the body: HiddenHttpMethodFilter and FormContentFilter
 * (-10000, -9900), Spring Security (-100). Requests that security rejects are mirrored too.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Mirror.class, MirrorFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(prefix = "mirror", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnProperty(prefix = "mirror", name = "target")
@EnableConfigurationProperties(MirrorProperties.class)
public class MirrorAutoConfiguration {

    /** Where the filter sits in the chain. */
    public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Mirror mirror(MirrorProperties properties, ObjectProvider<MeterRegistry> registry,
            ObjectProvider<MirrorCustomizer> customizers) {
        Mirror.Builder builder = Mirror.builder()
                .target(MirrorTarget.of(properties.getTarget()))
                .percentage(properties.getPercentage());
        registry.ifAvailable(builder::meterRegistry);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean(MirrorFilter.class)
    FilterRegistrationBean<MirrorFilter> mirrorFilterRegistration(Mirror mirror) {
        FilterRegistrationBean<MirrorFilter> registration = new FilterRegistrationBean<>(new MirrorFilter(mirror));
        registration.setName("mirrorFilter");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setOrder(FILTER_ORDER);
        registration.setAsyncSupported(true);
        return registration;
    }
}
