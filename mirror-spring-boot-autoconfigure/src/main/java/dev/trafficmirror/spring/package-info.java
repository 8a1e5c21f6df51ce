/**
 * Spring Boot's auto-configuration of the mirror: {@code mirror.*} properties
 * ({@link dev.trafficmirror.spring.MirrorProperties}), turned into a mirror by
 * {@link dev.trafficmirror.spring.MirrorBuilderConfigurer}; the filter's registration
 * ({@link dev.trafficmirror.spring.MirrorAutoConfiguration}); the {@code mirror} Actuator endpoint
 * ({@link dev.trafficmirror.spring.MirrorEndpoint}, {@link dev.trafficmirror.spring.MirrorEndpointSection}); and
 * {@link dev.trafficmirror.spring.MirrorCustomizer} for what properties cannot say.
 *
 * <p>It sits around the flow rather than in it: it builds the {@code Mirror} and registers the
 * {@code MirrorFilter} that start it.
 */
package dev.trafficmirror.spring;
