package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mirror} endpoint when there is no {@link Mirror}: {@link UnconfiguredMirrorEndpoint},
 * exposed as the real one would be ({@code management.endpoints.web.exposure.include=mirror}).
 */
@AutoConfiguration(after = {MirrorAutoConfiguration.class, MirrorPropertiesAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class, Mirror.class})
@ConditionalOnMissingBean(Mirror.class)
@ConditionalOnAvailableEndpoint(UnconfiguredMirrorEndpoint.class)
public class UnconfiguredMirrorEndpointAutoConfiguration {

    /** The endpoint that says why nothing is mirrored. */
    @Bean
    @ConditionalOnMissingBean
    public UnconfiguredMirrorEndpoint unconfiguredMirrorEndpoint(MirrorProperties properties) {
        return new UnconfiguredMirrorEndpoint(properties);
    }
}
