package dev.trafficmirror.spring;

import dev.trafficmirror.core.MirrorTarget;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the request mirror, under the {@code mirror} prefix. Nothing is mirrored until a
 * target is set.
 */
@ConfigurationProperties("mirror")
public class MirrorProperties {

    /** Whether mirroring is on. It takes effect only once a target is set. */
    private boolean enabled = true;

    /** Base URL of the shadow that receives copies, e.g. http://reviews-v2:9080. */
    private String target;

    /** Share of requests mirrored, from 0 to 100; decimals allowed. */
    private double percentage = 100.0;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        MirrorTarget.of(target); // fails binding, naming mirror.target, when it is not an http(s) URL
        this.target = target;
    }

    public double getPercentage() {
        return percentage;
    }

    public void setPercentage(double percentage) {
        if (!(percentage >= 0.0 && percentage <= 100.0)) {
            throw new IllegalArgumentException("must be between 0 and 100 (decimals allowed), was " + percentage);
        }
        this.percentage = percentage;
    }
}
