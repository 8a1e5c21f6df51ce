package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mirror} Actuator endpoint, when Actuator is on the class path, there is one
 * {@link Mirror} (the auto-configured one or the application's own) and the endpoint is available
 * ({@code management.endpoints.web.exposure.include=mirror}, or exposed over JMX). Its
 * {@code comparisons} section shows what {@link Mirror#comparisons()} says, empty while no target
 * compares, so the endpoint's shape does not depend on the configuration.
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
