package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds the {@code mirror.*} properties in every application that has the library, whether or not
 * it mirrors: a misspelt key ({@code mirror.precentage}, or {@code mirror.tagret}, which would leave
 * mirroring off) or a bad value fails start-up naming it, rather than being ignored. And when
 * {@code mirror.*} keys are set but nothing is mirrored (no target, or {@code mirror.enabled=false}),
 * one line at start-up says so and why.
 */
@AutoConfiguration
@ConditionalOnClass(Mirror.class)
@EnableConfigurationProperties(MirrorProperties.class)
public class MirrorPropertiesAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MirrorAutoConfiguration.class);
    private static final ConfigurationPropertyName MIRROR = ConfigurationPropertyName.of("mirror");

    /**
     * Fails start-up on a {@code mirror.} key that is no property ({@link UnknownMirrorProperties}),
     * and says once, when the context is ready, that the {@code mirror.*} keys set mirror nothing.
     */
    @Bean
    public SmartInitializingSingleton mirrorConfigurationCheck(ObjectProvider<MirrorProperties> bound,
            ObjectProvider<Mirror> mirror, Environment environment) {
        UnknownMirrorProperties.check(environment);
        return () -> {
            MirrorProperties properties = bound.getObject();
            if (mirror.getIfAvailable() != null || !anyMirrorKey(environment)) {
                return;
            }
            if (!properties.isEnabled()) {
                log.info("Mirroring is off (mirror.enabled=false): nothing is mirrored");
            } else {
                log.warn("mirror.* properties are set, but {}: nothing is mirrored. {}", whyNothingIsMirrored(properties),
                        whatToDo(properties));
            }
        };
    }

    /** Why an application with these properties has no mirror. */
    static String whyNothingIsMirrored(MirrorProperties properties) {
        if (!properties.isEnabled()) {
            return "mirroring is off (mirror.enabled=false)";
        }
        if (properties.getTarget() == null && properties.getTargets().isEmpty()) {
            return "no target is set";
        }
        return "a target is set, but this is no servlet web application, or it defines no Mirror of its own"
                + " while the auto-configuration backed off";
    }

    /** What makes an application with these properties mirror. */
    static String whatToDo(MirrorProperties properties) {
        if (!properties.isEnabled()) {
            return "Remove mirror.enabled=false.";
        }
        if (properties.getTarget() == null && properties.getTargets().isEmpty()) {
            return "Set mirror.target (or mirror.targets[0].url) to the shadow's base URL, e.g. http://reviews-v2:9080.";
        }
        return "Mirroring needs a servlet web application (spring-boot-starter-web or -webmvc).";
    }

    private static boolean anyMirrorKey(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.containsDescendantOf(MIRROR) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }
}
