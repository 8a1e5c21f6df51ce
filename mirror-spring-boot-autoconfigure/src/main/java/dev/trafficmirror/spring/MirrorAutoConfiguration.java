package dev.trafficmirror.spring;

import dev.trafficmirror.core.Conditions;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Mirrors a servlet application's requests once a target is set ({@code mirror.target} or
 * {@code mirror.targets[0].url}): a {@link Mirror} built from the {@code mirror.*} properties by the
 * {@link MirrorBuilderConfigurer}, then every {@link MirrorCustomizer}, with the context's
 * {@link MeterRegistry} when there is one, and its {@link ObservationRegistry} when there is one (each
 * copy is then observed as {@code mirror.copy}; {@code management.observations.enable.mirror=false}
 * turns that off); and
 * a {@link MirrorFilter} registered for REQUEST and ASYNC dispatches. Actuator's endpoints, when
 * served on the application's port, are left out (see {@code mirror.exclude-management-endpoints}).
 * Targets compare their answers with the primary's as {@code mirror.compare.enabled} and
 * {@code mirror.targets[i].compare|control} say. The mirror is closed with the context, after the
 * web server has stopped taking requests, so in-flight copies are drained.
 *
 * <p>Backs off, piece by piece, for an application's own {@link Mirror} bean, and for its own
 * {@link MirrorFilter} bean, {@code FilterRegistrationBean<MirrorFilter>} or bean named
 * {@value #FILTER_REGISTRATION_BEAN_NAME}. {@code mirror.enabled=false} turns everything off.
 *
 * <p>The filter sits at {@code mirror.filter.order}, by default {@link #FILTER_ORDER}: after CharacterEncodingFilter
 * ({@code HIGHEST_PRECEDENCE}) and the observation filter ({@code HIGHEST_PRECEDENCE + 1}), ahead
 * of everything that may read the body: Spring Session ({@code MIN_VALUE + 50}),
 * HiddenHttpMethodFilter (-10000), FormContentFilter (-9900), RequestContextFilter (-105) and
 * Spring Security (-100). So requests that security rejects are mirrored too.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Mirror.class, MirrorFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(prefix = "mirror", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(OnMirrorTargetCondition.class)
@EnableConfigurationProperties(MirrorProperties.class)
public class MirrorAutoConfiguration {

    /** Where the filter sits in the chain: {@code Ordered.HIGHEST_PRECEDENCE + 10}. */
    public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** The name of the filter's registration bean; define a bean of this name to replace it. */
    public static final String FILTER_REGISTRATION_BEAN_NAME = "mirrorFilterRegistration";

    /** Applies the {@code mirror.*} properties to a builder; for an application's own mirror too. */
    @Bean
    @ConditionalOnMissingBean
    public MirrorBuilderConfigurer mirrorBuilderConfigurer(MirrorProperties properties,
            ObjectProvider<SslBundles> bundles) {
        return new MirrorBuilderConfigurer(properties, bundles.getIfAvailable());
    }

    /** The mirror built from the properties, then the customizers; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Mirror mirror(MirrorBuilderConfigurer configurer, MirrorProperties properties,
            ObjectProvider<MeterRegistry> registry, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<MirrorCustomizer> customizers, Environment environment, ResourceLoader resources) {
        Mirror.Builder builder = configurer.configure(Mirror.builder());
        List<String> actuator = properties.isExcludeManagementEndpoints()
                ? ActuatorPaths.onApplicationPort(environment, resources.getClassLoader()) : List.of();
        if (!actuator.isEmpty()) {
            builder.condition(Conditions.requestTo(actuator.toArray(String[]::new)).negate());
        }
        // Several registries and no primary one: keep the core's default, the global registry,
        // to which Spring Boot adds the registries it creates (management.metrics.use-global-registry).
        MeterRegistry meters = registry.getIfUnique();
        if (meters != null) {
            builder.meterRegistry(meters);
        }
        ObservationRegistry observations = observationRegistry.getIfUnique();
        if (observations != null) {
            builder.observationRegistry(observations);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** Registers the filter first among the filters that may read the body, at {@code mirror.filter.order}. */
    @Bean(FILTER_REGISTRATION_BEAN_NAME)
    @ConditionalOnMissingBean(value = MirrorFilter.class, parameterizedContainer = FilterRegistrationBean.class,
            name = FILTER_REGISTRATION_BEAN_NAME)
    public FilterRegistrationBean<MirrorFilter> mirrorFilterRegistration(Mirror mirror, MirrorProperties properties) {
        FilterRegistrationBean<MirrorFilter> registration = new FilterRegistrationBean<>(
                new MirrorFilter(mirror, properties.getForms()));
        registration.setName("mirrorFilter");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setOrder(properties.getFilter().getOrder());
        registration.setAsyncSupported(true);
        return registration;
    }
}
