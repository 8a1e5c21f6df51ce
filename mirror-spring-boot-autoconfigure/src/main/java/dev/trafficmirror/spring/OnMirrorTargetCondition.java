package dev.trafficmirror.spring;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a target is configured: a non-blank {@code mirror.target}, or anything under
 * {@code mirror.targets} (an entry without a URL then fails start-up naming it, rather than
 * leaving mirroring silently off). Reads the properties in every relaxed form, environment
 * variables ({@code MIRROR_TARGETS_0_URL}) included.
 */
final class OnMirrorTargetCondition extends SpringBootCondition {

    private static final ConfigurationPropertyName TARGETS = ConfigurationPropertyName.of("mirror.targets");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Mirror target");
        boolean target = Binder.get(context.getEnvironment()).bind("mirror.target", String.class)
                .map(url -> !url.isBlank()).orElse(false);
        if (target) {
            return ConditionOutcome.match(message.found("property").items("mirror.target"));
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
            if (source.containsDescendantOf(TARGETS) == ConfigurationPropertyState.PRESENT) {
                return ConditionOutcome.match(message.found("property").items("mirror.targets"));
            }
        }
        return ConditionOutcome.noMatch(message.didNotFind("property").items("mirror.target", "mirror.targets[0].url"));
    }
}
