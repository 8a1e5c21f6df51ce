package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of the request mirror, under the {@code mirror} prefix: one field per setting of
 * {@link Mirror.Builder}, with the same defaults. Nothing is mirrored until a target is set, with
 * {@code mirror.target} or {@code mirror.targets[0].url}.
 *
 * <p>A value out of range fails start-up naming the property and what it accepts: single values
 * are checked by their setters (Spring Boot reports the property being bound), what depends on
 * several properties (target names) by {@link #validate}. Groups of related settings belong in
 * static nested classes with their own fields, e.g. {@code mirror.sampling.*}; the configuration
 * processor documents them from their field Javadoc. The {@code mirror} endpoint shows a property
 * once it is listed in {@link #describe}.
 */
@ConfigurationProperties("mirror")
public class MirrorProperties implements Validator {

    /** Whether mirroring is on. Nothing is mirrored until a target is set, whatever this says. */
    private boolean enabled = true;

    /**
     * Base URL of the shadow that receives the copies, e.g. http://reviews-v2:9080: http or https,
     * a host, an optional port and base path, no user info, query or fragment. The target is named
     * after its host and port. Use 'targets' to name it or to add more.
     */
    private String target;

    /**
     * Share of requests mirrored to each target that has no percentage of its own, from 0 to 100;
     * decimals allowed (0.5 mirrors one request in 200). Changeable at run time through the
     * 'mirror' Actuator endpoint.
     */
    private double percentage = 100.0;

    /**
     * Shadows that receive the copies, each with a 'url' (as for 'target'), an optional 'name'
     * (the 'target' tag of the metrics; default the URL's host and port; unique) and an optional
     * 'percentage' (default 'mirror.percentage'). Combined with 'target' when both are set.
     */
    private List<Target> targets = new ArrayList<>();

    /**
     * Largest request body mirrored. A request with a larger body still reaches the application
     * untouched, but is not mirrored and is counted as body_too_large.
     */
    private DataSize maxBodySize = DataSize.ofMegabytes(1);

    /** How long a copy may take to connect to its target before it fails as connect. */
    private Duration connectTimeout = Duration.ofSeconds(1);

    /** How long a whole copy may take, from connecting to the shadow's answer, before it fails as timeout. */
    private Duration timeout = Duration.ofSeconds(5);

    /** How many copies are sent to one target at the same time: the number of its sender threads. */
    private int maxConcurrent = 16;

    /**
     * How many copies may wait for a sender, per target; 0 for no waiting. When the senders are
     * busy and the queue is full, copies are dropped and counted as queue_full.
     */
    private int queueCapacity = 1000;

    /**
     * Body bytes that all waiting and in-flight copies may hold together. Above it, copies are
     * dropped and counted as memory_budget.
     */
    private DataSize maxBufferedBytes = DataSize.ofMegabytes(64);

    /** How much of each shadow response body is read and kept; the rest is discarded unread. */
    private DataSize responseCaptureLimit = DataSize.ofKilobytes(64);

    /**
     * How long shutdown waits for in-flight copies to finish; what is left is then cancelled and
     * counted as shutdown.
     */
    private Duration drainTimeout = Duration.ofSeconds(5);

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
        // An empty value (MIRROR_TARGET= in an environment) means no target, as if unset.
        this.target = target == null || target.isBlank() ? null : checkUrl(target);
    }

    public double getPercentage() {
        return percentage;
    }

    public void setPercentage(double percentage) {
        this.percentage = checkPercentage(percentage);
    }

    public List<Target> getTargets() {
        return targets;
    }

    public void setTargets(List<Target> targets) {
        this.targets = targets;
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = checkSize(maxBodySize);
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = checkPositive(connectTimeout);
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = checkPositive(timeout);
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public void setMaxConcurrent(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("must be at least 1, was " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("must be 0 or more, was " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
    }

    public DataSize getMaxBufferedBytes() {
        return maxBufferedBytes;
    }

    public void setMaxBufferedBytes(DataSize maxBufferedBytes) {
        this.maxBufferedBytes = checkSize(maxBufferedBytes);
    }

    public DataSize getResponseCaptureLimit() {
        return responseCaptureLimit;
    }

    public void setResponseCaptureLimit(DataSize responseCaptureLimit) {
        if (checkSize(responseCaptureLimit).toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be at most 2147483647B (just under 2GB), was " + responseCaptureLimit);
        }
        this.responseCaptureLimit = responseCaptureLimit;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("must be 0 or more (e.g. 5s), was " + drainTimeout);
        }
        this.drainTimeout = drainTimeout;
    }

    /**
     * Every target, {@code mirror.target} first, as the core names them. Call only on validated
     * properties.
     */
    List<MirrorTarget> mirrorTargets() {
        List<MirrorTarget> all = new ArrayList<>();
        if (target != null) {
            all.add(MirrorTarget.of(target));
        }
        for (Target each : targets) {
            all.add(each.toMirrorTarget());
        }
        return all;
    }

    /**
     * Every property, by its name under {@code mirror.}, as the {@code mirror} endpoint shows it.
     * Listed one by one on purpose: a property holding a secret (a header value) must never be
     * shown, so a new property is shown only once it is added here.
     */
    Map<String, Object> describe() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled);
        if (target != null) {
            view.put("target", target);
        }
        view.put("percentage", percentage);
        List<Map<String, Object>> targetViews = new ArrayList<>();
        for (Target each : targets) {
            Map<String, Object> targetView = new LinkedHashMap<>();
            if (each.name != null) {
                targetView.put("name", each.name);
            }
            targetView.put("url", each.url);
            if (each.percentage != null) {
                targetView.put("percentage", each.percentage);
            }
            targetViews.add(targetView);
        }
        view.put("targets", targetViews);
        view.put("max-body-size", maxBodySize.toString());
        view.put("connect-timeout", connectTimeout.toString());
        view.put("timeout", timeout.toString());
        view.put("max-concurrent", maxConcurrent);
        view.put("queue-capacity", queueCapacity);
        view.put("max-buffered-bytes", maxBufferedBytes.toString());
        view.put("response-capture-limit", responseCaptureLimit.toString());
        view.put("drain-timeout", drainTimeout.toString());
        return view;
    }

    @Override
    public boolean supports(Class<?> type) {
        return MirrorProperties.class.isAssignableFrom(type);
    }

    /** Checks what no single setter can: every target has a URL and a name of its own. */
    @Override
    public void validate(Object properties, Errors errors) {
        MirrorProperties mirror = (MirrorProperties) properties;
        Map<String, String> propertyByName = new HashMap<>();
        if (mirror.target != null) {
            propertyByName.put(MirrorTarget.of(mirror.target).name(), "target");
        }
        for (int i = 0; i < mirror.targets.size(); i++) {
            Target each = mirror.targets.get(i);
            if (each.url == null) {
                errors.rejectValue("targets[" + i + "].url", "mirror.target.url.missing",
                        "is required: the http(s) base URL of the shadow, e.g. http://reviews-v2:9080");
                continue;
            }
            String name = each.toMirrorTarget().name();
            String clash = propertyByName.putIfAbsent(name, "targets[" + i + "]");
            if (clash != null) {
                errors.rejectValue(each.name != null ? "targets[" + i + "].name" : "targets[" + i + "].url",
                        "mirror.target.name.duplicate", "two targets are named '" + name + "' (mirror." + clash
                                + " and mirror.targets[" + i + "]): each target needs a unique name, set with"
                                + " mirror.targets[" + i + "].name");
            }
        }
    }

    private static String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("must be an http(s) URL, e.g. http://reviews-v2:9080");
        }
        MirrorTarget.of(url); // says what the URL lacks: http(s) scheme, host; or has: user info, query
        return url;
    }

    private static double checkPercentage(double percentage) {
        if (!(percentage >= 0.0 && percentage <= 100.0)) {
            throw new IllegalArgumentException("must be between 0 and 100 (decimals allowed), was " + percentage);
        }
        return percentage;
    }

    private static DataSize checkSize(DataSize size) {
        if (size == null || size.isNegative()) {
            throw new IllegalArgumentException("must be a size of 0B or more (e.g. 512KB, 1MB), was " + size);
        }
        return size;
    }

    private static Duration checkPositive(Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("must be a positive duration (e.g. 500ms, 2s), was " + duration);
        }
        return duration;
    }

    /** One shadow that receives copies: {@code mirror.targets[i].*}. */
    public static class Target {

        /** Name of the target: the 'target' tag of the metrics. Defaults to the URL's host and port. */
        private String name;

        /** Base URL of the shadow, e.g. http://reviews-v2:9080 (http or https; no user info, query or fragment). */
        private String url;

        /** Share of requests mirrored to this target, from 0 to 100, decimals allowed. Defaults to 'mirror.percentage'. */
        private Double percentage;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("must not be blank: a short, stable name used as the metric tag");
            }
            this.name = name;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = checkUrl(url);
        }

        public Double getPercentage() {
            return percentage;
        }

        public void setPercentage(Double percentage) {
            this.percentage = percentage == null ? null : checkPercentage(percentage);
        }

        MirrorTarget toMirrorTarget() {
            MirrorTarget target = name != null ? MirrorTarget.of(name, url) : MirrorTarget.of(url);
            return percentage != null ? target.percentage(percentage) : target;
        }
    }
}
