package dev.trafficmirror.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says which {@code mirror.*} value the mirror could not be built with, and why, in the words
 * Spring Boot uses for a value refused while binding. Registered in {@code META-INF/spring.factories}.
 */
final class InvalidMirrorPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMirrorProperty> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidMirrorProperty cause) {
        return new FailureAnalysis(String.format("Invalid mirror property:%n%n    Property: %s%n    Reason: %s%n",
                cause.property(), cause.reason()), "Update " + cause.property() + " in your configuration; every"
                        + " property is listed in trafficmirror's docs/spring-boot.md.", cause);
    }
}
