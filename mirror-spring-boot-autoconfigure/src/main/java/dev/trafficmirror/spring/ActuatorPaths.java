package dev.trafficmirror.spring;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Where Actuator serves its web endpoints on the application's own port, as Ant patterns, so that
 * the mirror can leave them out: an operator's health checks, metric scrapes and endpoint writes
 * are no traffic to replay on a shadow.
 *
 * <p>On the application's port Actuator's endpoints live under the DispatcherServlet's path and
 * {@code management.endpoints.web.base-path}, within the application (the servlet context path
 * comes before, and path conditions match what follows it). On a port of their own
 * ({@code management.server.port}) they never pass the mirror's filter, so there is nothing to
 * leave out.
 */
final class ActuatorPaths {

    private static final Logger log = LoggerFactory.getLogger(ActuatorPaths.class);

    private static final String WEB_ENDPOINTS = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration";

    private ActuatorPaths() {
    }

    /**
     * The patterns of Actuator's endpoints on the application's port: {@code /actuator/**} by
     * default; none when Actuator is not on the class path or is on a port of its own. Also none
     * when its base path is the root, as that pattern would leave out every request; a warning says
     * so.
     */
    static List<String> onApplicationPort(Environment environment, ClassLoader classLoader) {
        if (!ClassUtils.isPresent(WEB_ENDPOINTS, classLoader) || !onApplicationPort(environment)) {
            return List.of();
        }
        Binder binder = Binder.get(environment);
        String basePath = clean(binder.bind("management.endpoints.web.base-path", String.class).orElse("/actuator"));
        if (basePath.isEmpty()) {
            log.warn("Actuator's endpoints are served at the root of the application's port"
                    + " (management.endpoints.web.base-path=/), so the mirror cannot tell them apart by path and"
                    + " mirrors them: list their paths in mirror.exclude-paths, or give Actuator a port of its own"
                    + " (management.server.port)");
            return List.of();
        }
        String servletPath = clean(binder.bind("spring.mvc.servlet.path", String.class).orElse(""));
        return List.of(servletPath + basePath + "/**");
    }

    /**
     * Whether Actuator shares the application's port, decided as Spring Boot's
     * {@code ManagementPortType} does (not used itself: it belongs to the optional Actuator).
     */
    private static boolean onApplicationPort(Environment environment) {
        Binder binder = Binder.get(environment);
        Integer managementPort = binder.bind("management.server.port", Integer.class).orElse(null);
        if (managementPort == null) {
            return true;
        }
        if (managementPort < 0) {
            return false; // Actuator's web endpoints are switched off
        }
        Integer serverPort = binder.bind("server.port", Integer.class).orElse(null);
        return (serverPort == null && managementPort == 8080) || (managementPort != 0 && managementPort.equals(serverPort));
    }

    /** A path prefix with a leading slash and no trailing one; empty for the root. */
    private static String clean(String path) {
        String trimmed = path.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() || trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }
}
