package dev.trafficmirror.spring;

import dev.trafficmirror.core.Conditions;
import dev.trafficmirror.core.HeaderRules;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.compare.CompareOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * several properties (target names, sticky sampling keys, Host values, the control target) by {@link #validate}. Groups of related settings belong in
 * static nested classes with their own fields, e.g. {@code mirror.sampling.*}; the configuration
 * processor documents them from their field Javadoc. The {@code mirror} endpoint shows a property
 * once it is listed in {@link #describe}.
 */
@ConfigurationProperties("mirror")
public class MirrorProperties implements Validator {

    /** The methods {@code methods} accepts: RFC 9110's, PATCH, WebDAV's, and QUERY. */
    private static final List<String> KNOWN_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS", "TRACE", "CONNECT", "QUERY", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
            "UNLOCK", "SEARCH");

    /** A primary status as {@code primary-status} takes it: {@code 2xx}, {@code 404}, {@code 200-299}. */
    private static final Pattern STATUS = Pattern.compile("([1-5])xx|([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?",
            Pattern.CASE_INSENSITIVE);

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

    /**
     * How many copies are in flight to one target at the same time: its keep-alive connections for a
     * plain http target, its sender threads for an https or comparing target.
     */
    private int maxConcurrent = 16;

    /**
     * How many copies may wait, per target, for a connection or sender thread; 0 for no waiting.
     * When all of them are busy and the queue is full, copies are dropped and counted as queue_full.
     */
    private int queueCapacity = 1000;

    /**
     * Body bytes that all waiting and in-flight copies may hold together. Above it, copies are
     * dropped and counted as memory_budget.
     */
    private DataSize maxBufferedBytes = DataSize.ofMegabytes(64);

    /**
     * How much of each shadow response body is read and kept; the rest is discarded unread. With
     * comparison on, also how much of the primary's answer is captured: answers with a larger body
     * (on either side) are not compared, and counted as not_comparable.
     */
    private DataSize responseCaptureLimit = DataSize.ofKilobytes(64);

    /**
     * How long shutdown waits for in-flight copies to finish; what is left is then cancelled and
     * counted as shutdown.
     */
    private Duration drainTimeout = Duration.ofSeconds(5);

    /**
     * Ant-style patterns of the request paths mirrored, e.g. /api/**: ? is one character, * anything
     * within a segment, ** any number of segments. Matched against the full path (context path
     * included), percent-decoded. Empty (the default): every path. Other requests are counted as
     * excluded.
     */
    private List<String> includePaths = new ArrayList<>();

    /**
     * Ant-style patterns of request paths never mirrored, e.g. /api/admin/**; they win over
     * 'include-paths'. Such requests are counted as excluded.
     */
    private List<String> excludePaths = new ArrayList<>();

    /**
     * Whether Actuator's endpoints are kept out of the mirror when they are served on the
     * application's port (no management.server.port of their own): requests under
     * management.endpoints.web.base-path (default /actuator) are then counted as excluded.
     */
    private boolean excludeManagementEndpoints = true;

    /**
     * HTTP methods mirrored, e.g. GET,HEAD. Empty (the default): every method. Other requests are
     * counted as excluded.
     */
    private List<String> methods = new ArrayList<>();

    /**
     * Primary statuses whose requests are mirrored, for targets without their own: status classes
     * (2xx), codes (404) or ranges (200-399), e.g. 2xx,304. Decided once the primary has answered;
     * other requests are counted as primary_status. Empty (the default): whatever the status.
     */
    private List<String> primaryStatus = new ArrayList<>();

    /** How targets without a sampling of their own pick the share of requests they mirror. */
    private final Sampling sampling = new Sampling();

    /** How a copy's headers and Host differ from the request's. */
    private final Headers headers = new Headers();

    /** When a target that keeps failing is paused, and for how long; each target has its own breaker. */
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    /** Whether and how the shadows' answers are compared with the primary's. */
    private final Compare compare = new Compare();

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
        this.responseCaptureLimit = checkIntSize(responseCaptureLimit);
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

    public List<String> getIncludePaths() {
        return includePaths;
    }

    public void setIncludePaths(List<String> includePaths) {
        this.includePaths = checkPaths(includePaths);
    }

    public List<String> getExcludePaths() {
        return excludePaths;
    }

    public void setExcludePaths(List<String> excludePaths) {
        this.excludePaths = checkPaths(excludePaths);
    }

    public boolean isExcludeManagementEndpoints() {
        return excludeManagementEndpoints;
    }

    public void setExcludeManagementEndpoints(boolean excludeManagementEndpoints) {
        this.excludeManagementEndpoints = excludeManagementEndpoints;
    }

    public List<String> getMethods() {
        return methods;
    }

    public void setMethods(List<String> methods) {
        this.methods = checkMethods(methods);
    }

    public List<String> getPrimaryStatus() {
        return primaryStatus;
    }

    public void setPrimaryStatus(List<String> primaryStatus) {
        this.primaryStatus = checkStatuses(primaryStatus);
    }

    public Sampling getSampling() {
        return sampling;
    }

    public Headers getHeaders() {
        return headers;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public Compare getCompare() {
        return compare;
    }

    /**
     * Every target, {@code mirror.target} first, as the core names them, each with its own
     * settings. Call only on validated properties.
     */
    List<MirrorTarget> mirrorTargets() {
        HeaderRules common = headerRules();
        List<MirrorTarget> all = new ArrayList<>();
        if (target != null) {
            MirrorTarget single = MirrorTarget.of(target).compare(compare.enabled);
            all.add(primaryStatus.isEmpty() ? single : single.primaryStatus(statusCondition(primaryStatus)));
        }
        for (Target each : targets) {
            all.add(each.toMirrorTarget(common, primaryStatus, compare.enabled));
        }
        return all;
    }

    /**
     * What every request must meet to be mirrored at all: the included paths and methods, and none
     * of the excluded paths nor of {@code moreExcludedPaths} (Actuator's, say); empty when anything
     * goes. Call only on validated properties.
     */
    Optional<Predicate<MirrorRequest>> requestCondition(List<String> moreExcludedPaths) {
        List<String> excluded = new ArrayList<>(excludePaths);
        excluded.addAll(moreExcludedPaths);
        return requestCondition(includePaths, excluded, methods);
    }

    /** The header and Host rules of targets without rules of their own. */
    HeaderRules headerRules() {
        return headers.applyTo(HeaderRules.defaults());
    }

    /** A new sampling, for one target without a sampling of its own: a counter counts one target's requests. */
    dev.trafficmirror.core.Sampling newSampling() {
        return sampling.toSampling();
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
            targetViews.add(each.describe());
        }
        view.put("targets", targetViews);
        view.put("include-paths", List.copyOf(includePaths));
        view.put("exclude-paths", List.copyOf(excludePaths));
        view.put("exclude-management-endpoints", excludeManagementEndpoints);
        view.put("methods", List.copyOf(methods));
        view.put("primary-status", List.copyOf(primaryStatus));
        view.put("sampling", sampling.describe());
        view.put("headers", headers.describe(HostMode.TARGET));
        view.put("max-body-size", maxBodySize.toString());
        view.put("connect-timeout", connectTimeout.toString());
        view.put("timeout", timeout.toString());
        view.put("max-concurrent", maxConcurrent);
        view.put("queue-capacity", queueCapacity);
        view.put("max-buffered-bytes", maxBufferedBytes.toString());
        view.put("response-capture-limit", responseCaptureLimit.toString());
        view.put("drain-timeout", drainTimeout.toString());
        view.put("circuit-breaker", circuitBreaker.describe());
        view.put("compare", compare.describe());
        return view;
    }

    @Override
    public boolean supports(Class<?> type) {
        return MirrorProperties.class.isAssignableFrom(type);
    }

    /**
     * Checks what no single setter can: every target has a URL and a name of its own, sticky
     * sampling has exactly one key, a Host value goes with a Host mode that uses it, and at most
     * one target is the control, which is compared.
     */
    @Override
    public void validate(Object properties, Errors errors) {
        MirrorProperties mirror = (MirrorProperties) properties;
        mirror.sampling.validate("sampling.", errors);
        mirror.headers.validate("headers.", errors);
        Map<String, String> propertyByName = new HashMap<>();
        String control = null;
        if (mirror.target != null) {
            propertyByName.put(MirrorTarget.of(mirror.target).name(), "target");
        }
        for (int i = 0; i < mirror.targets.size(); i++) {
            Target each = mirror.targets.get(i);
            String prefix = "targets[" + i + "].";
            if (each.sampling != null) {
                each.sampling.validate(prefix + "sampling.", errors);
            }
            if (each.headers != null) {
                each.headers.validate(prefix + "headers.", errors);
            }
            if (each.control) {
                if (Boolean.FALSE.equals(each.compare)) {
                    errors.rejectValue(prefix + "compare", "mirror.target.compare.control", "is false, but mirror."
                            + prefix + "control is true: the control's answers are always compared (its differences"
                            + " are the noise); remove mirror." + prefix + "compare, or set mirror." + prefix
                            + "control=false");
                }
                if (control != null) {
                    errors.rejectValue(prefix + "control", "mirror.target.control.several", "at most one target may"
                            + " be the control, but mirror." + control + " and mirror.targets[" + i + "] are: keep"
                            + " control=true on the one target that runs the primary's version");
                } else {
                    control = "targets[" + i + "]";
                }
            }
            if (each.url == null) {
                errors.rejectValue(prefix + "url", "mirror.target.url.missing",
                        "is required: the http(s) base URL of the shadow, e.g. http://reviews-v2:9080");
                continue;
            }
            String name = each.name != null ? each.name : MirrorTarget.of(each.url).name();
            String clash = propertyByName.putIfAbsent(name, "targets[" + i + "]");
            if (clash != null) {
                errors.rejectValue(prefix + (each.name != null ? "name" : "url"),
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

    /** A size that fits in an {@code int}, as the core's capture buffers need. */
    private static DataSize checkIntSize(DataSize size) {
        if (checkSize(size).toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be at most 2147483647B (just under 2GB), was " + size);
        }
        return size;
    }

    /** A header, cookie or other token-like name, as {@code what} describes it. */
    private static String checkToken(String name, String what) {
        try {
            Conditions.header(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be " + what + ", was '" + name + "'");
        }
        return name;
    }

    private static Duration checkPositive(Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("must be a positive duration (e.g. 500ms, 2s), was " + duration);
        }
        return duration;
    }

    // Request conditions: paths, methods and primary statuses, for the mirror and for each target.

    private static List<String> checkPaths(List<String> patterns) {
        List<String> checked = new ArrayList<>();
        for (String pattern : patterns == null ? List.<String>of() : patterns) {
            try {
                Conditions.requestTo(pattern);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + "; accepts Ant-style path patterns starting"
                        + " with /: ? one character, * anything within a segment, ** whole segments"
                        + " (e.g. /api/**, /users/*/orders)");
            }
            checked.add(pattern);
        }
        return checked;
    }

    private static List<String> checkMethods(List<String> methods) {
        List<String> checked = new ArrayList<>();
        for (String method : methods == null ? List.<String>of() : methods) {
            String upper = method.trim().toUpperCase(Locale.ROOT);
            if (!KNOWN_METHODS.contains(upper)) {
                throw new IllegalArgumentException("'" + method + "' is not an HTTP method; accepts "
                        + String.join(", ", KNOWN_METHODS) + " (any case)");
            }
            checked.add(upper);
        }
        return checked;
    }

    private static List<String> checkStatuses(List<String> statuses) {
        List<String> checked = new ArrayList<>();
        for (String status : statuses == null ? List.<String>of() : statuses) {
            statusRange(status.trim());
            checked.add(status.trim());
        }
        return checked;
    }

    /** The lowest and highest status {@code status} stands for. */
    private static int[] statusRange(String status) {
        Matcher matcher = STATUS.matcher(status);
        if (matcher.matches()) {
            if (matcher.group(1) != null) {
                int hundreds = Integer.parseInt(matcher.group(1)) * 100;
                return new int[] {hundreds, hundreds + 99};
            }
            int lowest = Integer.parseInt(matcher.group(2));
            int highest = matcher.group(3) == null ? lowest : Integer.parseInt(matcher.group(3));
            if (lowest <= highest) {
                return new int[] {lowest, highest};
            }
        }
        throw new IllegalArgumentException("'" + status + "' is not a primary status; accepts status classes (2xx),"
                + " codes (404) and ranges (200-399) from 100 to 599, e.g. 2xx,304");
    }

    /** Any of the statuses; call only on checked ones. */
    private static IntPredicate statusCondition(List<String> statuses) {
        IntPredicate any = status -> false;
        for (String status : statuses) {
            int[] range = statusRange(status);
            any = any.or(Conditions.statusBetween(range[0], range[1]));
        }
        return any;
    }

    private static Optional<Predicate<MirrorRequest>> requestCondition(List<String> includePaths,
            List<String> excludePaths, List<String> methods) {
        List<Predicate<MirrorRequest>> all = new ArrayList<>();
        if (!includePaths.isEmpty()) {
            all.add(Conditions.requestTo(includePaths.toArray(String[]::new)));
        }
        if (!excludePaths.isEmpty()) {
            all.add(Conditions.requestTo(excludePaths.toArray(String[]::new)).negate());
        }
        if (!methods.isEmpty()) {
            all.add(Conditions.methods(methods.toArray(String[]::new)));
        }
        return all.stream().reduce(Predicate::and);
    }

    /** How a target picks requests: {@code mirror.sampling.*}. */
    public enum SamplingStrategy {
        /** Each request independently, with the percentage as its probability. */
        RANDOM,
        /** Exactly the percentage, counted: at 10 %, the 10th, 20th, 30th... request. */
        COUNTER,
        /** By a key (header, cookie or query parameter): one key's requests are all mirrored or none are. */
        STICKY
    }

    /** Which Host a copy carries: {@code mirror.headers.host}. */
    public enum HostMode {
        /** The target's own, as in its URL. */
        TARGET,
        /** The request's, as received. */
        PRESERVE,
        /** A fixed value, 'host-value'. */
        LITERAL,
        /** The request's, with 'host-value' appended to its host name (before the port). */
        SUFFIX
    }

    /**
     * How a target picks the share of requests it mirrors: {@code mirror.sampling.*} for every
     * target, or {@code mirror.targets[i].sampling.*} for one (then replacing the mirror's).
     */
    public static class Sampling {

        /**
         * How requests are picked: random (each request independently, with the percentage as its
         * probability), counter (exactly the percentage: at 10 % the 10th, 20th, 30th... request)
         * or sticky (by the key in 'header', 'cookie' or 'query-parameter': one key's requests are all
         * mirrored or none are; requests without the key are picked at random).
         */
        private SamplingStrategy strategy = SamplingStrategy.RANDOM;

        /** Request header whose value is the key of sticky sampling, e.g. X-User-Id. */
        private String header;

        /** Cookie whose value is the key of sticky sampling, e.g. SESSION. */
        private String cookie;

        /** Query parameter whose raw value is the key of sticky sampling, e.g. tenant. */
        private String queryParameter;

        public SamplingStrategy getStrategy() {
            return strategy;
        }

        public void setStrategy(SamplingStrategy strategy) {
            this.strategy = strategy == null ? SamplingStrategy.RANDOM : strategy;
        }

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = checkToken(header, "a header name, e.g. X-User-Id");
        }

        public String getCookie() {
            return cookie;
        }

        public void setCookie(String cookie) {
            this.cookie = checkToken(cookie, "a cookie name, e.g. SESSION");
        }

        public String getQueryParameter() {
            return queryParameter;
        }

        public void setQueryParameter(String queryParameter) {
            if (queryParameter == null || queryParameter.isBlank()) {
                throw new IllegalArgumentException("must be a query parameter name, e.g. tenant");
            }
            this.queryParameter = queryParameter;
        }

        /** A new sampling, with state of its own; call only on validated properties. */
        dev.trafficmirror.core.Sampling toSampling() {
            return switch (strategy) {
                case RANDOM -> dev.trafficmirror.core.Sampling.random();
                case COUNTER -> dev.trafficmirror.core.Sampling.counter();
                case STICKY -> header != null ? dev.trafficmirror.core.Sampling.stickyByHeader(header)
                        : cookie != null ? dev.trafficmirror.core.Sampling.stickyByCookie(cookie)
                        : dev.trafficmirror.core.Sampling.stickyByQueryParameter(queryParameter);
            };
        }

        /** Sticky sampling has exactly one key, and only sticky sampling has one. */
        void validate(String prefix, Errors errors) {
            Map<String, String> keys = new LinkedHashMap<>();
            if (header != null) {
                keys.put("header", header);
            }
            if (cookie != null) {
                keys.put("cookie", cookie);
            }
            if (queryParameter != null) {
                keys.put("query-parameter", queryParameter);
            }
            String keyProperties = "mirror." + prefix + "header, mirror." + prefix + "cookie or mirror." + prefix
                    + "query-parameter";
            if (strategy == SamplingStrategy.STICKY && keys.isEmpty()) {
                errors.rejectValue(prefix + "strategy", "mirror.sampling.key.missing",
                        "sticky sampling needs a key: set one of " + keyProperties);
            } else if (strategy != SamplingStrategy.STICKY && !keys.isEmpty()) {
                String key = keys.keySet().iterator().next();
                errors.rejectValue(prefix + key, "mirror.sampling.key.unused", "is the key of sticky sampling, but"
                        + " mirror." + prefix + "strategy is " + strategy.name().toLowerCase(Locale.ROOT)
                        + ": set mirror." + prefix + "strategy=sticky, or remove the key");
            } else if (keys.size() > 1) {
                String second = new ArrayList<>(keys.keySet()).get(1);
                errors.rejectValue(prefix + second, "mirror.sampling.key.several",
                        "sticky sampling takes one key, but " + String.join(" and ", keys.keySet())
                                + " are set: keep one of " + keyProperties);
            }
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("strategy", strategy.name().toLowerCase(Locale.ROOT));
            if (header != null) {
                view.put("header", header);
            }
            if (cookie != null) {
                view.put("cookie", cookie);
            }
            if (queryParameter != null) {
                view.put("query-parameter", queryParameter);
            }
            return view;
        }
    }

    /**
     * When a target that keeps failing is paused: {@code mirror.circuit-breaker.*}, the same for
     * every target, each with a breaker of its own. Only failed copies count (timeout, connect,
     * tls, io, error); a shadow that answers, whatever the status, is not failing.
     */
    public static class CircuitBreaker {

        /**
         * Whether a target that keeps failing is paused. When false, every copy is sent, however the
         * previous ones ended.
         */
        private boolean enabled = true;

        /**
         * Consecutive failed copies (timeout, connect, tls, io, error) after which a target is
         * paused; its copies are then counted as circuit_open. Any answer, 5xx included, is no failure.
         */
        private int failures = 10;

        /**
         * How long a paused target stays paused; then one copy probes it, and the target resumes if
         * that copy is answered, or stays paused for another cool-down.
         */
        private Duration coolDown = Duration.ofSeconds(10);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getFailures() {
            return failures;
        }

        public void setFailures(int failures) {
            if (failures < 1) {
                throw new IllegalArgumentException("must be at least 1 (consecutive failed copies), was " + failures);
            }
            this.failures = failures;
        }

        public Duration getCoolDown() {
            return coolDown;
        }

        public void setCoolDown(Duration coolDown) {
            this.coolDown = checkPositive(coolDown);
        }

        /** Sets the builder's breaker: these settings, or none. */
        void applyTo(Mirror.Builder builder) {
            if (enabled) {
                builder.circuitBreaker(failures, coolDown);
            } else {
                builder.noCircuitBreaker();
            }
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("enabled", enabled);
            view.put("failures", failures);
            view.put("cool-down", coolDown.toString());
            return view;
        }
    }

    /**
     * Whether and how the shadows' answers are compared with the primary's: {@code mirror.compare.*}.
     * Which targets compare is decided by 'enabled' and each target's 'compare' and 'control'; the
     * other settings apply to every comparing target. See docs/compare.md.
     */
    public static class Compare {

        private static final String PATHS = "accepts JSON paths such as $.field, $.list[2].field, $.list[*].field"
                + " (every element), $.* (every field), $..field (at any depth) or $['odd.key']";

        /**
         * Whether every target's answers are compared with the primary's: status, headers and body,
         * JSON field by field. Costs each mirrored request a capped copy of the primary's answer
         * (see 'response-capture-limit'). A target's own 'compare' overrides it.
         */
        private boolean enabled;

        /**
         * Response headers left out of comparisons (any case), besides those always left out: Date,
         * Server, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Content-Encoding,
         * X-Request-Id, X-Mirror-Id, Set-Cookie, Expires and Age.
         */
        private List<String> ignoreHeaders = new ArrayList<>();

        /**
         * JSON fields left out of comparisons, with everything below them, e.g. $.generatedAt,
         * $.items[*].id (in every element), $..traceId (at any depth), $['odd.key'].
         */
        private List<String> ignorePaths = new ArrayList<>();

        /**
         * JSON arrays compared without regard to the order of their elements, e.g. $.tags or
         * $.items[*].labels. Other arrays are compared in order.
         */
        private List<String> unorderedArrays = new ArrayList<>();

        /**
         * How many recent mismatches are kept, newest first, for the 'mirror' endpoint; 0 keeps none
         * (they are still counted).
         */
        private int recentMismatches = 100;

        /**
         * Largest body compared once gzip or deflate is decoded; a larger one makes the answers
         * not_comparable.
         */
        private DataSize maxDecodedBodySize = DataSize.ofMegabytes(1);

        /**
         * At most one log line per target per this interval tells of the latest mismatch and how many
         * it stands for; 0 logs every mismatch.
         */
        private Duration logInterval = Duration.ofSeconds(10);

        /**
         * Whether the 'mirror' endpoint shows the primary's and the shadow's values of each
         * difference in the recent mismatches. They are excerpts of response data, which may be
         * personal or secret (tokens), so only where and how the answers differ is shown unless
         * this is true.
         */
        private boolean showValues;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getIgnoreHeaders() {
            return ignoreHeaders;
        }

        public void setIgnoreHeaders(List<String> ignoreHeaders) {
            List<String> checked = new ArrayList<>();
            for (String name : ignoreHeaders == null ? List.<String>of() : ignoreHeaders) {
                checked.add(checkToken(name, "a response header name, e.g. X-Backend"));
            }
            this.ignoreHeaders = checked;
        }

        public List<String> getIgnorePaths() {
            return ignorePaths;
        }

        public void setIgnorePaths(List<String> ignorePaths) {
            this.ignorePaths = checkJsonPaths(ignorePaths, pattern -> CompareOptions.builder().ignorePaths(pattern));
        }

        public List<String> getUnorderedArrays() {
            return unorderedArrays;
        }

        public void setUnorderedArrays(List<String> unorderedArrays) {
            this.unorderedArrays = checkJsonPaths(unorderedArrays,
                    pattern -> CompareOptions.builder().unorderedArrays(pattern));
        }

        public int getRecentMismatches() {
            return recentMismatches;
        }

        public void setRecentMismatches(int recentMismatches) {
            if (recentMismatches < 0) {
                throw new IllegalArgumentException("must be 0 or more (0 keeps none), was " + recentMismatches);
            }
            this.recentMismatches = recentMismatches;
        }

        public DataSize getMaxDecodedBodySize() {
            return maxDecodedBodySize;
        }

        public void setMaxDecodedBodySize(DataSize maxDecodedBodySize) {
            this.maxDecodedBodySize = checkIntSize(maxDecodedBodySize);
        }

        public Duration getLogInterval() {
            return logInterval;
        }

        public void setLogInterval(Duration logInterval) {
            if (logInterval == null || logInterval.isNegative()) {
                throw new IllegalArgumentException("must be 0 or more (e.g. 10s, 1m; 0 logs every mismatch), was "
                        + logInterval);
            }
            this.logInterval = logInterval;
        }

        public boolean isShowValues() {
            return showValues;
        }

        public void setShowValues(boolean showValues) {
            this.showValues = showValues;
        }

        /**
         * A new builder of the core's options holding these settings, for what properties cannot
         * say: {@code builder -> builder.comparison(properties.getCompare().optionsBuilder()
         * .listener(dashboard).build())} in a {@link MirrorCustomizer} keeps the properties and adds
         * a listener.
         */
        public CompareOptions.Builder optionsBuilder() {
            return CompareOptions.builder()
                    .ignoreHeaders(ignoreHeaders.toArray(String[]::new))
                    .ignorePaths(ignorePaths.toArray(String[]::new))
                    .unorderedArrays(unorderedArrays.toArray(String[]::new))
                    .recentMismatches(recentMismatches)
                    .maxDecodedBodySize((int) maxDecodedBodySize.toBytes())
                    .logInterval(logInterval);
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("enabled", enabled);
            view.put("ignore-headers", List.copyOf(ignoreHeaders));
            view.put("ignore-paths", List.copyOf(ignorePaths));
            view.put("unordered-arrays", List.copyOf(unorderedArrays));
            view.put("recent-mismatches", recentMismatches);
            view.put("max-decoded-body-size", maxDecodedBodySize.toString());
            view.put("log-interval", logInterval.toString());
            view.put("show-values", showValues);
            return view;
        }

        /** The patterns, each parsed by the core as {@code use} takes it. */
        private static List<String> checkJsonPaths(List<String> patterns, Function<String, CompareOptions.Builder> use) {
            List<String> checked = new ArrayList<>();
            for (String pattern : patterns == null ? List.<String>of() : patterns) {
                try {
                    use.apply(pattern).build();
                } catch (IllegalArgumentException e) {
                    // The core names its builder method; the property is named by Spring Boot.
                    String problem = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                    throw new IllegalArgumentException("JSON path " + problem + "; " + PATHS);
                }
                checked.add(pattern);
            }
            return checked;
        }
    }

    /**
     * How a copy's headers and Host differ from the request's: {@code mirror.headers.*} for every
     * target, or {@code mirror.targets[i].headers.*} for one. A target's rules run after the
     * mirror's (so its 'set' wins, and it can remove what the mirror set), and its 'host', when
     * given, replaces the mirror's. Header names are compared ignoring case.
     */
    public static class Headers {

        private static final String ACCEPTED = "accepts header names other than Host (see 'headers.host'),"
                + " X-Mirror-Id, Content-Length, Expect and hop-by-hop headers (Connection, Keep-Alive, TE, Trailer,"
                + " Transfer-Encoding, Upgrade, Proxy-*), with printable ASCII values";

        /** Headers removed from the copies, e.g. Authorization,Cookie to keep credentials from the shadow. */
        private List<String> remove = new ArrayList<>();

        /**
         * Headers set on the copies, by name, replacing any value the request had, e.g. X-Env: shadow.
         * The 'mirror' endpoint shows their names, never their values.
         */
        private Map<String, String> set = new LinkedHashMap<>();

        /**
         * Headers added to the copies, by name, after the request's own values of the header. The
         * 'mirror' endpoint shows their names, never their values.
         */
        private Map<String, String> add = new LinkedHashMap<>();

        /**
         * Which Host the copies carry: target (the target's own, as in its URL; the default),
         * preserve (the request's), literal (the Host in 'host-value') or suffix (the request's, with
         * 'host-value' appended to its host name, e.g. -shadow). Where a copy is sent never changes.
         */
        private HostMode host;

        /** The Host for host=literal (e.g. reviews.internal:9080), or the suffix for host=suffix (e.g. -shadow). */
        private String hostValue;

        public List<String> getRemove() {
            return remove;
        }

        public void setRemove(List<String> remove) {
            List<String> checked = remove == null ? new ArrayList<>() : remove;
            for (String name : checked) {
                checkRule(name, () -> HeaderRules.defaults().remove(name));
            }
            this.remove = checked;
        }

        public Map<String, String> getSet() {
            return set;
        }

        public void setSet(Map<String, String> set) {
            this.set = checkValues(set, (name, value) -> HeaderRules.defaults().set(name, value));
        }

        public Map<String, String> getAdd() {
            return add;
        }

        public void setAdd(Map<String, String> add) {
            this.add = checkValues(add, (name, value) -> HeaderRules.defaults().add(name, value));
        }

        public HostMode getHost() {
            return host;
        }

        public void setHost(HostMode host) {
            this.host = host;
        }

        public String getHostValue() {
            return hostValue;
        }

        public void setHostValue(String hostValue) {
            this.hostValue = hostValue;
        }

        /** {@code base}, then these rules; call only on validated properties. */
        HeaderRules applyTo(HeaderRules base) {
            HeaderRules rules = remove.isEmpty() ? base : base.remove(remove.toArray(String[]::new));
            for (Map.Entry<String, String> header : set.entrySet()) {
                rules = rules.set(header.getKey(), header.getValue());
            }
            for (Map.Entry<String, String> header : add.entrySet()) {
                rules = rules.add(header.getKey(), header.getValue());
            }
            return host == null ? rules : withHost(rules, host, hostValue);
        }

        /** A Host value goes with literal or suffix, and is one. */
        void validate(String prefix, Errors errors) {
            String mode = host == null ? "not set" : host.name().toLowerCase(Locale.ROOT);
            if (host == HostMode.LITERAL || host == HostMode.SUFFIX) {
                if (hostValue == null || hostValue.isBlank()) {
                    errors.rejectValue(prefix + "host-value", "mirror.headers.host-value.missing", "is required with"
                            + " mirror." + prefix + "host=" + mode + ": " + (host == HostMode.LITERAL
                                    ? "the Host to send, e.g. reviews.internal:9080"
                                    : "the suffix to append to the request's host name, e.g. -shadow"));
                    return;
                }
                try {
                    withHost(HeaderRules.defaults(), host, hostValue);
                } catch (IllegalArgumentException e) {
                    errors.rejectValue(prefix + "host-value", "mirror.headers.host-value.invalid", host == HostMode.LITERAL
                            ? "must be a host name or IP literal with an optional port (e.g. reviews.internal:9080),"
                                    + " was '" + hostValue + "'"
                            : "must be letters, digits, '.', '-', '_' or '~' (e.g. -shadow), was '" + hostValue + "'");
                }
            } else if (hostValue != null) {
                errors.rejectValue(prefix + "host-value", "mirror.headers.host-value.unused", "applies only with"
                        + " mirror." + prefix + "host=literal or suffix, but host is " + mode);
            }
        }

        /**
         * The rules as the endpoint shows them: header names only, since values set or added may be
         * credentials.
         *
         * @param defaultHost the Host shown when none is set, or {@code null} to show none
         */
        Map<String, Object> describe(HostMode defaultHost) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("remove", List.copyOf(remove));
            view.put("set", List.copyOf(set.keySet()));
            view.put("add", List.copyOf(add.keySet()));
            HostMode shown = host != null ? host : defaultHost;
            if (shown != null) {
                view.put("host", shown.name().toLowerCase(Locale.ROOT));
            }
            if (hostValue != null) {
                view.put("host-value", hostValue);
            }
            return view;
        }

        private static HeaderRules withHost(HeaderRules rules, HostMode host, String value) {
            return switch (host) {
                case TARGET -> rules.targetHost();
                case PRESERVE -> rules.preserveHost();
                case LITERAL -> rules.host(value);
                case SUFFIX -> rules.hostSuffix(value);
            };
        }

        /** The headers, each checked by {@code rule}; an empty value stays empty. */
        private static Map<String, String> checkValues(Map<String, String> headers,
                BiFunction<String, String, HeaderRules> rule) {
            Map<String, String> checked = new LinkedHashMap<>();
            if (headers != null) {
                headers.forEach((name, value) -> {
                    String given = value == null ? "" : value;
                    checkRule(name, () -> rule.apply(name, given));
                    checked.put(name, given);
                });
            }
            return checked;
        }

        private static void checkRule(String name, Supplier<HeaderRules> rule) {
            try {
                rule.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name != null && name.equalsIgnoreCase("host")
                        ? "the Host is not set with header rules: choose it with 'headers.host' (target, preserve,"
                                + " literal or suffix)"
                        : e.getMessage() + "; " + ACCEPTED);
            }
        }
    }

    /** One shadow that receives copies: {@code mirror.targets[i].*}. */
    public static class Target {

        /** Name of the target: the 'target' tag of the metrics. Defaults to the URL's host and port. */
        private String name;

        /** Base URL of the shadow, e.g. http://reviews-v2:9080 (http or https; no user info, query or fragment). */
        private String url;

        /** Share of requests mirrored to this target, from 0 to 100, decimals allowed. Defaults to 'mirror.percentage'. */
        private Double percentage;

        /** Ant-style patterns of the paths this target takes, besides the mirror's conditions. */
        private List<String> includePaths = new ArrayList<>();

        /** Ant-style patterns of paths this target never takes. */
        private List<String> excludePaths = new ArrayList<>();

        /** HTTP methods this target takes. Empty: every method the mirror takes. */
        private List<String> methods = new ArrayList<>();

        /** Primary statuses this target takes copies of (2xx, 404, 200-399). Empty: 'mirror.primary-status'. */
        private List<String> primaryStatus = new ArrayList<>();

        /** This target's own sampling, replacing 'mirror.sampling'. */
        private Sampling sampling;

        /** This target's own header rules, run after 'mirror.headers'; its 'host' replaces the mirror's. */
        private Headers headers;

        /** Whether this target gets copies without their body (and without the headers describing it). */
        private boolean headersOnly;

        /** Whether this target's answers are compared with the primary's. Defaults to 'mirror.compare.enabled'. */
        private Boolean compare;

        /**
         * Whether this target is the control: it runs the primary's own version, so what differs
         * between its answers and the primary's is noise, left out of the other targets' comparisons.
         * A control is compared; at most one target is the control.
         */
        private boolean control;

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

        public List<String> getIncludePaths() {
            return includePaths;
        }

        public void setIncludePaths(List<String> includePaths) {
            this.includePaths = checkPaths(includePaths);
        }

        public List<String> getExcludePaths() {
            return excludePaths;
        }

        public void setExcludePaths(List<String> excludePaths) {
            this.excludePaths = checkPaths(excludePaths);
        }

        public List<String> getMethods() {
            return methods;
        }

        public void setMethods(List<String> methods) {
            this.methods = checkMethods(methods);
        }

        public List<String> getPrimaryStatus() {
            return primaryStatus;
        }

        public void setPrimaryStatus(List<String> primaryStatus) {
            this.primaryStatus = checkStatuses(primaryStatus);
        }

        public Sampling getSampling() {
            return sampling;
        }

        public void setSampling(Sampling sampling) {
            this.sampling = sampling;
        }

        public Headers getHeaders() {
            return headers;
        }

        public void setHeaders(Headers headers) {
            this.headers = headers;
        }

        public boolean isHeadersOnly() {
            return headersOnly;
        }

        public void setHeadersOnly(boolean headersOnly) {
            this.headersOnly = headersOnly;
        }

        public Boolean getCompare() {
            return compare;
        }

        public void setCompare(Boolean compare) {
            this.compare = compare;
        }

        public boolean isControl() {
            return control;
        }

        public void setControl(boolean control) {
            this.control = control;
        }

        /**
         * The core's target.
         *
         * @param mirrorHeaders the mirror's header rules, which this target's extend
         * @param mirrorPrimaryStatus the mirror's primary statuses, for a target without its own
         * @param mirrorCompares whether targets compare unless they say otherwise
         */
        MirrorTarget toMirrorTarget(HeaderRules mirrorHeaders, List<String> mirrorPrimaryStatus, boolean mirrorCompares) {
            MirrorTarget target = name != null ? MirrorTarget.of(name, url) : MirrorTarget.of(url);
            if (percentage != null) {
                target = target.percentage(percentage);
            }
            if (sampling != null) {
                target = target.sampling(sampling.toSampling());
            }
            Optional<Predicate<MirrorRequest>> condition = requestCondition(includePaths, excludePaths, methods);
            if (condition.isPresent()) {
                target = target.condition(condition.get());
            }
            List<String> statuses = primaryStatus.isEmpty() ? mirrorPrimaryStatus : primaryStatus;
            if (!statuses.isEmpty()) {
                target = target.primaryStatus(statusCondition(statuses));
            }
            if (headers != null) {
                target = target.headers(headers.applyTo(mirrorHeaders));
            }
            return target.headersOnly(headersOnly)
                    .compare(compare != null ? compare : mirrorCompares)
                    .control(control);
        }

        /** What the endpoint shows: what is set, header values left out. */
        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            if (name != null) {
                view.put("name", name);
            }
            view.put("url", url);
            if (percentage != null) {
                view.put("percentage", percentage);
            }
            if (!includePaths.isEmpty()) {
                view.put("include-paths", List.copyOf(includePaths));
            }
            if (!excludePaths.isEmpty()) {
                view.put("exclude-paths", List.copyOf(excludePaths));
            }
            if (!methods.isEmpty()) {
                view.put("methods", List.copyOf(methods));
            }
            if (!primaryStatus.isEmpty()) {
                view.put("primary-status", List.copyOf(primaryStatus));
            }
            if (sampling != null) {
                view.put("sampling", sampling.describe());
            }
            if (headers != null) {
                view.put("headers", headers.describe(null));
            }
            if (headersOnly) {
                view.put("headers-only", true);
            }
            if (compare != null) {
                view.put("compare", compare);
            }
            if (control) {
                view.put("control", true);
            }
            return view;
        }
    }
}
