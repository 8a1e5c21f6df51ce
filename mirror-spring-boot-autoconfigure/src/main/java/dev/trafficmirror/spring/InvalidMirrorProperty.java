package dev.trafficmirror.spring;

/**
 * A {@code mirror.*} value refused while the mirror is built, when the refusal needs what binding
 * cannot see (an SSL bundle): named, so that {@link InvalidMirrorPropertyFailureAnalyzer} reports
 * it as Spring Boot reports a value refused while binding.
 */
final class InvalidMirrorProperty extends IllegalArgumentException {

    private final String property;
    private final String reason;

    /**
     * @param property the full name, e.g. {@code mirror.ssl.bundle}
     * @param reason why it was refused, and what it accepts
     */
    InvalidMirrorProperty(String property, String reason) {
        super(property + ": " + reason);
        this.property = property;
        this.reason = reason;
    }

    String property() {
        return property;
    }

    String reason() {
        return reason;
    }
}
