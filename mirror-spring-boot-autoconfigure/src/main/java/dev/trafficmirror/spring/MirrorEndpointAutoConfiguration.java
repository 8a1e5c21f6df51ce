package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.report.MirrorReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code mirror} Actuator endpoint, when Actuator is on the class path, there is one
 * {@link Mirror} (the auto-configured one or the application's own) and the endpoint is available
 * ({@code management.endpoints.web.exposure.include=mirror}, or exposed over JMX). Its
 * {@code comparisons} section shows what {@link Mirror#comparisons()} says, empty while no target
 * compares, so the endpoint's shape does not depend on the configuration. Over HTTP a browser gets
 * the {@link MirrorReport} page ({@link MirrorEndpointWebExtension}).
 */
@AutoConfiguration(after = MirrorAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class, Mirror.class})
@ConditionalOnSingleCandidate(Mirror.class)
@ConditionalOnAvailableEndpoint(MirrorEndpoint.class)
public class MirrorEndpointAutoConfiguration {

    /** The endpoint, with the {@code mirror.*} properties when they are bound. */
    @Bean
    @ConditionalOnMissingBean
    public MirrorEndpoint mirrorEndpoint(Mirror mirror, ObjectProvider<MirrorProperties> properties,
            ObjectProvider<MirrorEndpointSection> sections) {
        return new MirrorEndpoint(mirror, properties.getIfAvailable(), sections.orderedStream().toList());
    }

    /**
     * The report a browser gets from the endpoint: {@code mirror.report.*}, values only with
     * {@code mirror.compare.show-values=true}, titled after {@code spring.application.name}; reads
     * the mirror's meters from the context's registry (Micrometer's global one when there is none
     * or several, as the mirror does). Stops sampling with the context.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public MirrorReport mirrorReport(Mirror mirror, ObjectProvider<MirrorBuilderConfigurer> configurer,
            ObjectProvider<MeterRegistry> registry, Environment environment) {
        MirrorBuilderConfigurer properties = configurer.getIfAvailable();
        MirrorReport.Builder report = properties == null ? MirrorReport.builder(mirror) : properties.report(mirror);
        MeterRegistry meters = registry.getIfUnique();
        String name = environment.getProperty("spring.application.name", "");
        return report.meterRegistry(meters != null ? meters : Metrics.globalRegistry)
                .title(name.isBlank() ? "trafficmirror" : name)
                .primaryName(name.isBlank() ? "this application" : name)
                .build();
    }

    /** The endpoint over HTTP: the report for a browser, 400 with the reason for a bad write. */
    @Bean
    @ConditionalOnMissingBean
    public MirrorEndpointWebExtension mirrorEndpointWebExtension(MirrorEndpoint endpoint, Mirror mirror,
            MirrorReport report) {
        return new MirrorEndpointWebExtension(endpoint, mirror, report);
    }

    /**
     * The comparisons' section, {@code sections.comparisons}; the values of differences only with
     * {@code mirror.compare.show-values=true}. A bean of this name replaces it.
     */
    @Bean
    @ConditionalOnMissingBean(name = "mirrorComparisonsSection")
    public MirrorEndpointSection mirrorComparisonsSection(Mirror mirror, ObjectProvider<MirrorProperties> properties) {
        MirrorProperties bound = properties.getIfAvailable();
        return new ComparisonsSection(mirror, bound != null && bound.getCompare().isShowValues());
    }
}
