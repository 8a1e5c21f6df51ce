package dev.trafficmirror.spring;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says which {@code mirror.*} key is none of trafficmirror's properties and which one was probably
 * meant ("did you mean mirror.percentage?"). Registered in {@code META-INF/spring.factories}.
 */
final class UnknownMirrorPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnknownMirrorProperties> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownMirrorProperties cause) {
        StringBuilder description = new StringBuilder("Unknown mirror properties:\n");
        StringBuilder action = new StringBuilder();
        for (ConfigurationProperty property : cause.unknown()) {
            String name = property.getName().toString();
            description.append(String.format("%n    Property: %s%n    Origin: %s%n    Reason: not a property of"
                    + " trafficmirror's mirror, so it would be ignored%n", name, property.getOrigin()));
            action.append(String.format("Did you mean %s? ", UnknownMirrorProperties.nearest(name)));
        }
        return new FailureAnalysis(description.toString(), action + "Fix the name, or remove the property; every"
                + " property is listed in trafficmirror's docs/spring-boot.md.", cause);
    }
}
