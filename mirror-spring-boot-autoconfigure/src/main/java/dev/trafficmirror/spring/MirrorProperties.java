package dev.trafficmirror.spring;

import dev.trafficmirror.core.HeaderRules;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.TracePropagation;
import dev.trafficmirror.servlet.MirrorFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * <p>This class only binds and describes the properties. {@link MirrorBuilderConfigurer} turns them
 * into a mirror, and checks them while binding ({@link #validate}): every value goes through the
 * core's own checks, and a value the core refuses fails start-up naming the property and what it
 * accepts. The entries of header maps are checked by their setters, so that Spring Boot names them
 * as written. Groups of related settings belong in static nested classes with their own fields, e.g.
 * {@code mirror.sampling.*}; the configuration processor documents them from their field Javadoc.
 * The {@code mirror} endpoint shows a property once it is listed in {@link #describe}.
 */
@ConfigurationProperties("mirror")
public class MirrorProperties extends RequestSelectionProperties implements Validator {

    /** Whether mirroring is on. Nothing is mirrored until a target is set, whatever this says. */
    private boolean enabled = true;

    /**
     * Name of the mirror: the 'mirror' tag of every meter it registers, which keeps two mirrors in
     * one meter registry apart.
     */
    private String name = "default";

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
    private List<TargetProperties> targets = new ArrayList<>();

    /**
     * Largest request body mirrored. A request with a larger body still reaches the application
     * untouched, but is not mirrored and is counted as body_too_large.
     */
    private DataSize maxBodySize = DataSize.ofMegabytes(1);

    /**
     * What is mirrored of an application/x-www-form-urlencoded body that the servlet container
     * parsed itself (the application asked for parameters, e.g. through @RequestParam, before
     * reading the body): 'rebuild' mirrors a body rebuilt from the parameters, as browsers encode
     * them, counted in mirror.body.rebuilt{type=form}; 'skip' mirrors only exact bytes, so such a
     * request is not mirrored and is counted as body_consumed.
     */
    private MirrorFilter.Forms forms = MirrorFilter.Forms.REBUILD;

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
     * What copies do with the request's trace context (W3C traceparent, B3, Jaeger, Datadog, X-Ray,
     * Google Cloud): unsampled (the same trace id, a span of their own, not sampled: the shadow's work
     * never shows in production traces as production work), strip (no trace headers) or propagate
     * (as received: the shadow joins the trace). Header rules run after it.
     */
    private TracePropagation trace = TracePropagation.UNSAMPLED;

    /**
     * Whether Actuator's endpoints are kept out of the mirror when they are served on the
     * application's port (no management.server.port of their own): requests under
     * management.endpoints.web.base-path (default /actuator) are then counted as excluded.
     */
    private boolean excludeManagementEndpoints = true;

    /** How targets without a sampling of their own pick the share of requests they mirror. */
    private final SamplingProperties sampling = new SamplingProperties();

    /** How a copy's headers and Host differ from the request's. */
    private final HeaderProperties headers = new HeaderProperties();

    /** When a target that keeps failing is paused, and for how long; each target has its own breaker. */
    private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties();

    /** Whether and how the shadows' answers are compared with the primary's. */
    private final CompareProperties compare = new CompareProperties();

    /** TLS to https targets without TLS settings of their own: by default the JVM's trust store. */
    private final SslProperties ssl = new SslProperties();

    /** Where the mirror's filter sits among the application's servlet filters. */
    private final FilterProperties filter = new FilterProperties();

    /** The HTML report the mirror endpoint answers a browser with. */
    private final ReportProperties report = new ReportProperties();

    /** What recording targets mask before a record leaves the process; 'mirror.targets[i].redact' replaces it. */
    private final RedactProperties redact = new RedactProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        // An empty value (MIRROR_TARGET= in an environment) means no target, as if unset.
        this.target = target == null || target.isBlank() ? null : target;
    }

    public double getPercentage() {
        return percentage;
    }

    public void setPercentage(double percentage) {
        this.percentage = percentage;
    }

    public List<TargetProperties> getTargets() {
        return targets;
    }

    public void setTargets(List<TargetProperties> targets) {
        this.targets = orEmpty(targets);
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public MirrorFilter.Forms getForms() {
        return forms;
    }

    public void setForms(MirrorFilter.Forms forms) {
        this.forms = forms;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public DataSize getMaxBufferedBytes() {
        return maxBufferedBytes;
    }

    public void setMaxBufferedBytes(DataSize maxBufferedBytes) {
        this.maxBufferedBytes = maxBufferedBytes;
    }

    public DataSize getResponseCaptureLimit() {
        return responseCaptureLimit;
    }

    public void setResponseCaptureLimit(DataSize responseCaptureLimit) {
        this.responseCaptureLimit = responseCaptureLimit;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public TracePropagation getTrace() {
        return trace;
    }

    public void setTrace(TracePropagation trace) {
        this.trace = trace;
    }

    public boolean isExcludeManagementEndpoints() {
        return excludeManagementEndpoints;
    }

    public void setExcludeManagementEndpoints(boolean excludeManagementEndpoints) {
        this.excludeManagementEndpoints = excludeManagementEndpoints;
    }

    public SamplingProperties getSampling() {
        return sampling;
    }

    public HeaderProperties getHeaders() {
        return headers;
    }

    public CircuitBreakerProperties getCircuitBreaker() {
        return circuitBreaker;
    }

    public CompareProperties getCompare() {
        return compare;
    }

    public SslProperties getSsl() {
        return ssl;
    }

    public FilterProperties getFilter() {
        return filter;
    }

    public ReportProperties getReport() {
        return report;
    }

    public RedactProperties getRedact() {
        return redact;
    }

    @Override
    public boolean supports(Class<?> type) {
        return MirrorProperties.class.isAssignableFrom(type);
    }

    /**
     * Checks every property as it is bound, by applying them all to a builder the way the mirror
     * will be built: what the core refuses is rejected under the property's name.
     */
    @Override
    public void validate(Object properties, Errors errors) {
        new MirrorBuilderConfigurer((MirrorProperties) properties).check(errors);
    }

    /**
     * Every property, by its name under {@code mirror.}, as the {@code mirror} endpoint shows it.
     * Listed one by one on purpose: a property holding a secret (a header value) must never be
     * shown, so a new property is shown only once it is added here.
     */
    Map<String, Object> describe() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled);
        view.put("name", name);
        if (target != null) {
            view.put("target", target);
        }
        view.put("percentage", percentage);
        view.put("targets", targets.stream().map(TargetProperties::describe).toList());
        describeSelection(view, true);
        view.put("exclude-management-endpoints", excludeManagementEndpoints);
        view.put("trace", String.valueOf(trace).toLowerCase(Locale.ROOT));
        view.put("sampling", sampling.describe());
        view.put("headers", headers.describe(HostMode.TARGET));
        view.put("max-body-size", String.valueOf(maxBodySize));
        view.put("forms", forms.name().toLowerCase(Locale.ROOT));
        view.put("connect-timeout", String.valueOf(connectTimeout));
        view.put("timeout", String.valueOf(timeout));
        view.put("max-concurrent", maxConcurrent);
        view.put("queue-capacity", queueCapacity);
        view.put("max-buffered-bytes", String.valueOf(maxBufferedBytes));
        view.put("response-capture-limit", String.valueOf(responseCaptureLimit));
        view.put("drain-timeout", String.valueOf(drainTimeout));
        view.put("circuit-breaker", circuitBreaker.describe());
        view.put("compare", compare.describe());
        if (ssl.bundle != null) {
            view.put("ssl", Map.of("bundle", ssl.bundle));
        }
        view.put("filter", Map.of("order", filter.order));
        Map<String, Object> reportView = new LinkedHashMap<>();
        reportView.put("interval", String.valueOf(report.interval));
        reportView.put("points", report.points);
        view.put("report", reportView);
        view.put("redact", redact.describe());
        return view;
    }

    /**
     * What a recording target masks before a record leaves the process: {@code mirror.redact.*}, or
     * one target's {@code mirror.targets[i].redact.*}. A masked value becomes REDACTED.
     */
    public static class RedactProperties {

        /** Whether the values of Authorization, Proxy-Authorization, Cookie and Set-Cookie are masked. */
        private boolean defaultHeaders = true;

        /** More headers whose values are masked in recorded requests and answers, e.g. X-Api-Key. */
        private List<String> headers = new ArrayList<>();

        /** JSON fields masked in recorded bodies, by path, e.g. $.card.number or $..password (at any depth). */
        private List<String> jsonPaths = new ArrayList<>();

        /** Form fields masked in recorded form bodies and query strings, by name, e.g. password. */
        private List<String> formFields = new ArrayList<>();

        public boolean isDefaultHeaders() {
            return defaultHeaders;
        }

        public void setDefaultHeaders(boolean defaultHeaders) {
            this.defaultHeaders = defaultHeaders;
        }

        public List<String> getHeaders() {
            return headers;
        }

        public void setHeaders(List<String> headers) {
            this.headers = headers;
        }

        public List<String> getJsonPaths() {
            return jsonPaths;
        }

        public void setJsonPaths(List<String> jsonPaths) {
            this.jsonPaths = jsonPaths;
        }

        public List<String> getFormFields() {
            return formFields;
        }

        public void setFormFields(List<String> formFields) {
            this.formFields = formFields;
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("default-headers", defaultHeaders);
            view.put("headers", List.copyOf(headers));
            view.put("json-paths", List.copyOf(jsonPaths));
            view.put("form-fields", List.copyOf(formFields));
            return view;
        }
    }

    /** Where the mirror's filter sits: {@code mirror.filter.*}. */
    public static class FilterProperties {

        /**
         * The order of the mirror's filter among the application's servlet filters (lower runs
         * first). It must run before anything that reads the request body, or that body is not
         * mirrored; the default, HIGHEST_PRECEDENCE + 10, is ahead of Spring's and Spring Security's
         * filters and after the character encoding and observation filters.
         */
        private int order = MirrorAutoConfiguration.FILTER_ORDER;

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /**
     * The HTML report the {@code mirror} endpoint answers a browser with ({@code Accept: text/html}):
     * {@code mirror.report.*}. Its charts over time take the mirror's totals every interval and keep
     * the last points of them. Whether it shows the values of differences is
     * {@code mirror.compare.show-values}.
     */
    public static class ReportProperties {

        /** How often the report takes the mirror's totals for its charts over time, at least 10ms. */
        private Duration interval = Duration.ofSeconds(10);

        /**
         * How many of those totals the report keeps, 2 to 10000: its charts cover interval times
         * points (an hour by default).
         */
        private int points = 360;

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getPoints() {
            return points;
        }

        public void setPoints(int points) {
            this.points = points;
        }
    }

    /** How a target picks requests: {@code mirror.sampling.strategy}. */
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
    public static class SamplingProperties {

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
            this.header = header;
        }

        public String getCookie() {
            return cookie;
        }

        public void setCookie(String cookie) {
            this.cookie = cookie;
        }

        public String getQueryParameter() {
            return queryParameter;
        }

        public void setQueryParameter(String queryParameter) {
            this.queryParameter = queryParameter;
        }

        /** The keys of sticky sampling that are set, by property name: header, cookie, query-parameter. */
        Map<String, String> keys() {
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
            return keys;
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("strategy", strategy.name().toLowerCase(Locale.ROOT));
            view.putAll(keys());
            return view;
        }
    }

    /**
     * When a target that keeps failing is paused: {@code mirror.circuit-breaker.*}, the same for
     * every target, each with a breaker of its own. Only failed copies count (timeout, connect,
     * tls, io, error); a shadow that answers, whatever the status, is not failing.
     */
    public static class CircuitBreakerProperties {

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
            this.failures = failures;
        }

        public Duration getCoolDown() {
            return coolDown;
        }

        public void setCoolDown(Duration coolDown) {
            this.coolDown = coolDown;
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("enabled", enabled);
            view.put("failures", failures);
            view.put("cool-down", String.valueOf(coolDown));
            return view;
        }
    }

    /**
     * Whether and how the shadows' answers are compared with the primary's: {@code mirror.compare.*}.
     * Which targets compare is decided by 'enabled' and each target's 'compare' and 'control'; the
     * other settings apply to every comparing target. See docs/compare.md.
     */
    public static class CompareProperties {

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

        /** When a candidate's difference is noise: where the control differs as often (see docs/compare.md). */
        private final NoiseProperties noise = new NoiseProperties();

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
            this.ignoreHeaders = orEmpty(ignoreHeaders);
        }

        public List<String> getIgnorePaths() {
            return ignorePaths;
        }

        public void setIgnorePaths(List<String> ignorePaths) {
            this.ignorePaths = orEmpty(ignorePaths);
        }

        public List<String> getUnorderedArrays() {
            return unorderedArrays;
        }

        public void setUnorderedArrays(List<String> unorderedArrays) {
            this.unorderedArrays = orEmpty(unorderedArrays);
        }

        public int getRecentMismatches() {
            return recentMismatches;
        }

        public void setRecentMismatches(int recentMismatches) {
            this.recentMismatches = recentMismatches;
        }

        public DataSize getMaxDecodedBodySize() {
            return maxDecodedBodySize;
        }

        public void setMaxDecodedBodySize(DataSize maxDecodedBodySize) {
            this.maxDecodedBodySize = maxDecodedBodySize;
        }

        public Duration getLogInterval() {
            return logInterval;
        }

        public void setLogInterval(Duration logInterval) {
            this.logInterval = logInterval;
        }

        public boolean isShowValues() {
            return showValues;
        }

        public void setShowValues(boolean showValues) {
            this.showValues = showValues;
        }

        public NoiseProperties getNoise() {
            return noise;
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("enabled", enabled);
            view.put("ignore-headers", List.copyOf(ignoreHeaders));
            view.put("ignore-paths", List.copyOf(ignorePaths));
            view.put("unordered-arrays", List.copyOf(unorderedArrays));
            view.put("recent-mismatches", recentMismatches);
            view.put("max-decoded-body-size", String.valueOf(maxDecodedBodySize));
            view.put("log-interval", String.valueOf(logInterval));
            view.put("show-values", showValues);
            view.put("noise", noise.describe());
            return view;
        }
    }

    /**
     * When a candidate's difference is noise, by Diffy's rule: {@code mirror.compare.noise.*}. On the
     * same request the control differed at exactly that place; or, once the control has been
     * compared 'minimum-samples' times on the endpoint, the candidate differs at that field no more
     * often than the control, beyond the thresholds.
     */
    public static class NoiseProperties {

        /**
         * Control comparisons an endpoint (method and path, ids folded) needs before a field can be
         * noise there by its rates; until then the candidates' differences there are reported.
         */
        private int minimumSamples = 10;

        /**
         * Percent of the sum of the two rates by which the candidate's rate must exceed the control's
         * for a field to be reported (Diffy's relative threshold).
         */
        private double relativeThreshold = 20;

        /**
         * Percentage points by which the candidate's rate must exceed the control's for a field to be
         * reported (Diffy's absolute threshold).
         */
        private double absoluteThreshold = 0.03;

        public int getMinimumSamples() {
            return minimumSamples;
        }

        public void setMinimumSamples(int minimumSamples) {
            this.minimumSamples = minimumSamples;
        }

        public double getRelativeThreshold() {
            return relativeThreshold;
        }

        public void setRelativeThreshold(double relativeThreshold) {
            this.relativeThreshold = relativeThreshold;
        }

        public double getAbsoluteThreshold() {
            return absoluteThreshold;
        }

        public void setAbsoluteThreshold(double absoluteThreshold) {
            this.absoluteThreshold = absoluteThreshold;
        }

        Map<String, Object> describe() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("minimum-samples", minimumSamples);
            view.put("relative-threshold", relativeThreshold);
            view.put("absolute-threshold", absoluteThreshold);
            return view;
        }
    }

    /**
     * How a copy's headers and Host differ from the request's: {@code mirror.headers.*} for every
     * target, or {@code mirror.targets[i].headers.*} for one. A target's rules run after the
     * mirror's (so its 'set' wins, and it can remove what the mirror set), and its 'host', when
     * given, replaces the mirror's. Header names are compared ignoring case.
     */
    public static class HeaderProperties {

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
            this.remove = orEmpty(remove);
        }

        public Map<String, String> getSet() {
            return set;
        }

        public void setSet(Map<String, String> set) {
            this.set = checked(set, (rules, name, value) -> rules.set(name, value));
        }

        public Map<String, String> getAdd() {
            return add;
        }

        public void setAdd(Map<String, String> add) {
            this.add = checked(add, (rules, name, value) -> rules.add(name, value));
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

        /** One header rule of a map: set or add. */
        @FunctionalInterface
        private interface Rule {
            HeaderRules apply(HeaderRules rules, String name, String value);
        }

        /**
         * The entries, each checked by the core as {@code rule} (see
         * {@link MirrorBuilderConfigurer#checkHeaderRule}); an empty value ({@code X-Env=}) stays empty.
         */
        private static Map<String, String> checked(Map<String, String> headers, Rule rule) {
            Map<String, String> values = new LinkedHashMap<>();
            if (headers != null) {
                headers.forEach((name, value) -> {
                    String given = value == null ? "" : value;
                    MirrorBuilderConfigurer.checkHeaderRule(name, rules -> rule.apply(rules, name, given));
                    values.put(name, given);
                });
            }
            return values;
        }
    }

    /** TLS to https targets: {@code mirror.ssl.*}, or one target's {@code mirror.targets[i].ssl.*}. */
    public static class SslProperties {

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material checks the
         * target's certificate and whose key, if it has one, is the client certificate for mutual TLS;
         * its enabled protocols and ciphers are used too. A bundle with reload-on-update is taken up by
         * new connections when its files change. The host name is always verified.
         */
        private String bundle;

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }
    }

    /**
     * One shadow that receives copies: {@code mirror.targets[i].*}. Its paths, methods and primary
     * statuses add to the mirror's: a request must meet both.
     */
    public static class TargetProperties extends RequestSelectionProperties {

        /** This https target's own TLS, replacing 'mirror.ssl'. */
        private final SslProperties ssl = new SslProperties();

        /** Name of the target: the 'target' tag of the metrics. Defaults to the URL's host and port. */
        private String name;

        /**
         * Base URL of the shadow, e.g. http://reviews-v2:9080 (http or https; no user info, query or
         * fragment), or where to record its exchanges: file:/var/log/traffic.jsonl, or
         * kafka://broker:9092/topic with mirror-kafka on the class path.
         */
        private String url;

        /** This recording target's own redaction, replacing 'mirror.redact'. */
        private RedactProperties redact;

        /**
         * Settings of this recording target's recorder: for a kafka:// target the Kafka producer's,
         * e.g. compression.type=lz4 or security.protocol=SSL (max.block.ms stays 0).
         */
        private Map<String, String> recorder = new LinkedHashMap<>();

        /** Size past which this file: target's file is rotated. Defaults to 100MB. */
        private DataSize maxFileSize;

        /** How many rotated files this file: target keeps; older ones are deleted. Defaults to 10. */
        private Integer maxFiles;

        /** Share of requests mirrored to this target, from 0 to 100, decimals allowed. Defaults to 'mirror.percentage'. */
        private Double percentage;

        /** This target's own sampling, replacing 'mirror.sampling'. */
        private SamplingProperties sampling;

        /** This target's own header rules, run after 'mirror.headers'; its 'host' replaces the mirror's. */
        private HeaderProperties headers;

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
            this.name = name;
        }

        public SslProperties getSsl() {
            return ssl;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public RedactProperties getRedact() {
            return redact;
        }

        public void setRedact(RedactProperties redact) {
            this.redact = redact;
        }

        public Map<String, String> getRecorder() {
            return recorder;
        }

        public void setRecorder(Map<String, String> recorder) {
            this.recorder = recorder;
        }

        public DataSize getMaxFileSize() {
            return maxFileSize;
        }

        public void setMaxFileSize(DataSize maxFileSize) {
            this.maxFileSize = maxFileSize;
        }

        public Integer getMaxFiles() {
            return maxFiles;
        }

        public void setMaxFiles(Integer maxFiles) {
            this.maxFiles = maxFiles;
        }

        public Double getPercentage() {
            return percentage;
        }

        public void setPercentage(Double percentage) {
            this.percentage = percentage;
        }

        public SamplingProperties getSampling() {
            return sampling;
        }

        public void setSampling(SamplingProperties sampling) {
            this.sampling = sampling;
        }

        public HeaderProperties getHeaders() {
            return headers;
        }

        public void setHeaders(HeaderProperties headers) {
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
            describeSelection(view, false);
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
            if (ssl.bundle != null) {
                view.put("ssl", Map.of("bundle", ssl.bundle));
            }
            if (redact != null) {
                view.put("redact", redact.describe());
            }
            if (!recorder.isEmpty()) {
                // Names only: a value may be a secret (sasl.jaas.config).
                view.put("recorder", List.copyOf(recorder.keySet()));
            }
            if (maxFileSize != null) {
                view.put("max-file-size", String.valueOf(maxFileSize));
            }
            if (maxFiles != null) {
                view.put("max-files", maxFiles);
            }
            return view;
        }
    }
}
