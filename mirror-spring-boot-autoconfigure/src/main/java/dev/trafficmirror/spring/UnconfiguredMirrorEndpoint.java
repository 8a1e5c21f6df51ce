package dev.trafficmirror.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code mirror} endpoint of an application that has the library but no mirror: it says so and
 * why, so that "not configured" never looks like "endpoint not exposed" (a 404).
 */
@Endpoint(id = "mirror")
public class UnconfiguredMirrorEndpoint {

    private final MirrorProperties properties;

    /** An endpoint that explains these properties' missing mirror. */
    public UnconfiguredMirrorEndpoint(MirrorProperties properties) {
        this.properties = properties;
    }

    /** {@code {"configured": false, "reason": ..., "action": ...}}. */
    @ReadOperation
    public Map<String, Object> mirror() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("configured", false);
        view.put("reason", MirrorPropertiesAutoConfiguration.whyNothingIsMirrored(properties));
        view.put("action", MirrorPropertiesAutoConfiguration.whatToDo(properties));
        return view;
    }
}
