package dev.trafficmirror.spring;

import dev.trafficmirror.core.Conditions;
import dev.trafficmirror.core.HeaderRules;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Redaction;
import dev.trafficmirror.core.Sampling;
import dev.trafficmirror.core.TargetTls;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.JsonComparison;
import dev.trafficmirror.report.MirrorReport;
import dev.trafficmirror.spring.MirrorProperties.CircuitBreakerProperties;
import dev.trafficmirror.spring.MirrorProperties.CompareProperties;
import dev.trafficmirror.spring.MirrorProperties.HeaderProperties;
import dev.trafficmirror.spring.MirrorProperties.HostMode;
import dev.trafficmirror.spring.MirrorProperties.RedactProperties;
import dev.trafficmirror.spring.MirrorProperties.ReportProperties;
import dev.trafficmirror.spring.MirrorProperties.SamplingProperties;
import dev.trafficmirror.spring.MirrorProperties.SamplingStrategy;
import dev.trafficmirror.spring.MirrorProperties.TargetProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * Applies the {@code mirror.*} properties to a {@link Mirror.Builder}, as Spring Boot's own
 * {@code *BuilderConfigurer}s do: the auto-configuration builds its mirror with it, and an
 * application that defines its own {@link Mirror} bean can start from the properties too:
 *
 * <pre>{@code
 * @Bean
 * Mirror mirror(MirrorBuilderConfigurer properties) {
 *     return properties.configure(Mirror.builder()).maxConcurrent(64).build();
 * }
 * }</pre>
 *
 * <p>Every value is checked by the core as it is applied, and only there: a value the core refuses
 * is reported under the name of the property it came from, in the property's own terms (a
 * {@code DataSize}, a {@code Duration}). {@link MirrorProperties} runs the same application while
 * it is bound ({@link #check}), so that a bad value fails start-up with Spring Boot's report of the
 * property. What depends on several properties (target names, sticky sampling keys, Host values,
 * the control target) is checked here too, naming each property involved.
 */
public final class MirrorBuilderConfigurer {

    /** The methods {@code methods} accepts: RFC 9110's, PATCH, WebDAV's, and QUERY. */
    private static final List<String> KNOWN_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS", "TRACE", "CONNECT", "QUERY", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
            "UNLOCK", "SEARCH");

    /** A primary status as {@code primary-status} takes it: {@code 2xx}, {@code 404}, {@code 200-299}. */
    private static final Pattern STATUS = Pattern.compile("([1-5])xx|([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?",
            Pattern.CASE_INSENSITIVE);

    private static final String PATH_PATTERNS = "accepts Ant-style path patterns starting with /, matched after the"
            + " context path: ? one character, * anything within a segment, {name} one segment, ** whole segments, {*rest}"
            + " the rest of the path (e.g. /api/**, /users/*/orders, /pay/{id}/capture)";
    private static final String JSON_PATHS = "accepts JSON paths such as $.field, $.list[2].field, $.list[*].field"
            + " (every element), $.* (every field), $..field (at any depth) or $['odd.key']";
    private static final String HEADER_RULES = "accepts header names other than Host (see 'headers.host'),"
            + " X-Mirror-Id, Content-Length, Expect and hop-by-hop headers (Connection, Keep-Alive, TE, Trailer,"
            + " Transfer-Encoding, Upgrade, Proxy-*), with printable ASCII values";

    /** Where a refused value is reported: the property (under {@code mirror.}) and why. */
    @FunctionalInterface
    private interface Refusals {
        void refuse(String property, String message);
    }

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final MirrorProperties properties;
    private final SslBundles bundles;

    /**
     * A configurer of the given properties, without SSL bundles: a {@code ssl.bundle} property is
     * refused. The properties are read when {@link #configure} is called.
     */
    public MirrorBuilderConfigurer(MirrorProperties properties) {
        this(properties, null);
    }

    /**
     * A configurer of the given properties whose {@code ssl.bundle} properties name bundles of
     * {@code bundles} (Spring Boot's {@code spring.ssl.bundle.*}); they are read when
     * {@link #configure} is called.
     */
    public MirrorBuilderConfigurer(MirrorProperties properties, SslBundles bundles) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.bundles = bundles;
    }

    /**
     * Applies every property to {@code builder}: its settings, conditions and targets.
     *
     * @return the builder
     * @throws IllegalArgumentException naming the first property the core refused (none, when the
     *     properties were bound by Spring Boot, which checks them)
     */
    public Mirror.Builder configure(Mirror.Builder builder) {
        new Application(builder, (property, message) -> {
            throw new InvalidMirrorProperty("mirror." + property, message);
        }, true).run();
        return builder;
    }

    /**
     * A builder of the comparison options the {@code mirror.compare.*} properties describe, for a
     * {@link MirrorCustomizer} that adds what properties cannot say:
     * {@code builder -> builder.comparison(configurer.compareOptions().listener(dashboard).build())}.
     *
     * @throws IllegalArgumentException naming the first property the core refused
     */
    public CompareOptions.Builder compareOptions() {
        List<String> refusals = new ArrayList<>();
        CompareOptions.Builder options = new Application(Mirror.builder(),
                (property, message) -> refusals.add("mirror." + property + ": " + message), false).compareOptions();
        if (!refusals.isEmpty()) {
            throw new IllegalArgumentException(refusals.get(0));
        }
        return options;
    }

    /**
     * A builder of {@code mirror}'s report as the {@code mirror.report.*} properties and
     * {@code mirror.compare.show-values} describe it.
     *
     * @param mirror the mirror to report on
     * @return the builder, ready to build
     * @throws IllegalArgumentException naming the first property the report refused
     */
    public MirrorReport.Builder report(Mirror mirror) {
        MirrorReport.Builder report = MirrorReport.builder(mirror).showValues(properties.getCompare().isShowValues());
        ReportProperties p = properties.getReport();
        try {
            report.interval(p.getInterval());
        } catch (IllegalArgumentException e) {
            throw new InvalidMirrorProperty("mirror.report.interval", e.getMessage());
        }
        try {
            report.points(p.getPoints());
        } catch (IllegalArgumentException e) {
            throw new InvalidMirrorProperty("mirror.report.points", e.getMessage());
        }
        return report;
    }

    /**
     * Applies the properties to a builder that is thrown away, rejecting in {@code errors} each value
     * refused. SSL bundles are not looked up: they are not known yet while properties are bound.
     */
    void check(Errors errors) {
        new Application(Mirror.builder(), (property, message) -> errors.rejectValue(property, "mirror.invalid", message),
                false).run();
    }

    /** One application of the properties to one builder, reporting each refusal as it goes on. */
    private final class Application {
        private final Mirror.Builder builder;
        private final Refusals refusals;
        /** Whether the mirror built is the one that runs: SSL bundles are looked up and followed. */
        private final boolean forReal;

        Application(Mirror.Builder builder, Refusals refusals, boolean forReal) {
            this.builder = builder;
            this.refusals = refusals;
            this.forReal = forReal;
        }

        void run() {
            MirrorProperties p = properties;
            accepted("name", () -> builder.name(p.getName()), "must not be blank: it is the mirror tag of every meter");
            accepted("percentage", () -> builder.percentage(p.getPercentage()),
                    "must be between 0 and 100 (decimals allowed), was " + p.getPercentage());
            size("max-body-size", p.getMaxBodySize(), builder::maxBodySize);
            size("max-buffered-bytes", p.getMaxBufferedBytes(), builder::maxBufferedBytes);
            intSize("response-capture-limit", p.getResponseCaptureLimit(), builder::responseCaptureLimit);
            positive("connect-timeout", p.getConnectTimeout(), builder::connectTimeout);
            positive("timeout", p.getTimeout(), builder::timeout);
            accepted("drain-timeout", () -> builder.drainTimeout(p.getDrainTimeout()),
                    "must be 0 or more (e.g. 5s), was " + p.getDrainTimeout());
            accepted("max-concurrent", () -> builder.maxConcurrent(p.getMaxConcurrent()),
                    "must be at least 1, was " + p.getMaxConcurrent());
            accepted("queue-capacity", () -> builder.queueCapacity(p.getQueueCapacity()),
                    "must be 0 or more, was " + p.getQueueCapacity());
            circuitBreaker(p.getCircuitBreaker());
            accepted("trace", () -> builder.trace(p.getTrace()), "must be unsampled, strip or propagate");
            builder.comparison(compareOptions().build());
            Supplier<Sampling> sampling = sampling("sampling.", p.getSampling());
            if (sampling != null) {
                builder.sampling(sampling);
            }
            HeaderRules headers = headerRules("headers.", p.getHeaders(), HeaderRules.defaults());
            if (headers != null) {
                builder.headers(headers);
            }
            Redaction redaction = redaction("redact.", p.getRedact());
            if (redaction != null) {
                builder.redaction(redaction);
            }
            targets(headers != null ? headers : HeaderRules.defaults());
            jsonOnlyOptions();
            Predicate<MirrorRequest> condition = condition("", p);
            if (condition != null) {
                builder.condition(condition);
            }
        }

        private void circuitBreaker(CircuitBreakerProperties breaker) {
            if (!breaker.isEnabled()) {
                builder.noCircuitBreaker();
                return;
            }
            // Each setting is tried with a valid other one, so that each refusal names its own property.
            boolean failures = accepted("circuit-breaker.failures", () -> builder.circuitBreaker(breaker.getFailures(),
                    Duration.ofSeconds(1)), "must be at least 1 (consecutive failed copies), was " + breaker.getFailures());
            boolean coolDown = positive("circuit-breaker.cool-down", breaker.getCoolDown(),
                    duration -> builder.circuitBreaker(1, duration));
            if (failures && coolDown) {
                builder.circuitBreaker(breaker.getFailures(), breaker.getCoolDown());
            }
        }

        CompareOptions.Builder compareOptions() {
            CompareProperties compare = properties.getCompare();
            CompareOptions.Builder options = CompareOptions.builder();
            for (String name : compare.getIgnoreHeaders()) {
                if (token("compare.ignore-headers", name, "a response header name, e.g. X-Backend")) {
                    options.ignoreHeaders(name);
                }
            }
            jsonPaths("compare.ignore-paths", compare.getIgnorePaths(), CompareOptions.Builder::ignorePaths, options);
            jsonPaths("compare.unordered-arrays", compare.getUnorderedArrays(), CompareOptions.Builder::unorderedArrays,
                    options);
            accepted("compare.recent-mismatches", () -> options.recentMismatches(compare.getRecentMismatches()),
                    "must be 0 or more (0 keeps none), was " + compare.getRecentMismatches());
            intSize("compare.max-decoded-body-size", compare.getMaxDecodedBodySize(), options::maxDecodedBodySize);
            accepted("compare.log-interval", () -> options.logInterval(compare.getLogInterval()),
                    "must be 0 or more (e.g. 10s, 1m; 0 logs every mismatch), was " + compare.getLogInterval());
            MirrorProperties.NoiseProperties noise = compare.getNoise();
            boolean samples = accepted("compare.noise.minimum-samples", () -> options.noise(noise.getMinimumSamples(), 20, 0),
                    "must be at least 1 (control comparisons per endpoint), was " + noise.getMinimumSamples());
            boolean relative = accepted("compare.noise.relative-threshold", () -> options.noise(1, noise.getRelativeThreshold(), 0),
                    "must be between 0 and 100 (percent), was " + noise.getRelativeThreshold());
            boolean absolute = accepted("compare.noise.absolute-threshold", () -> options.noise(1, 0, noise.getAbsoluteThreshold()),
                    "must be between 0 and 100 (percentage points), was " + noise.getAbsoluteThreshold());
            if (samples && relative && absolute) {
                options.noise(noise.getMinimumSamples(), noise.getRelativeThreshold(), noise.getAbsoluteThreshold());
            }
            return options;
        }

        /**
         * Ignored paths and unordered arrays need a Jackson to read JSON bodies field by field: when a
         * target compares without one, they cannot apply, and are refused rather than silently unused.
         */
        private void jsonOnlyOptions() {
            MirrorProperties p = properties;
            CompareProperties compare = p.getCompare();
            boolean compares = (p.getTarget() != null && compare.isEnabled()) || p.getTargets().stream()
                    .anyMatch(each -> each.isControl() || (each.getCompare() != null ? each.getCompare() : compare.isEnabled()));
            if (!compares || JsonComparison.available().byField()) {
                return;
            }
            if (!compare.getIgnorePaths().isEmpty()) {
                refusals.refuse("compare.ignore-paths", "cannot apply: " + JsonComparison.WHOLE_BODIES_WARNING);
            }
            if (!compare.getUnorderedArrays().isEmpty()) {
                refusals.refuse("compare.unordered-arrays", "cannot apply: " + JsonComparison.WHOLE_BODIES_WARNING);
            }
        }

        /** Each JSON path, parsed as the core does when the options are built, then added to {@code options}. */
        private void jsonPaths(String property, List<String> patterns,
                BiFunction<CompareOptions.Builder, String[], CompareOptions.Builder> use, CompareOptions.Builder options) {
            for (String pattern : patterns) {
                try {
                    use.apply(CompareOptions.builder(), new String[] {pattern}).build();
                    use.apply(options, new String[] {pattern});
                } catch (IllegalArgumentException e) {
                    // The core names its builder method; the property is named here.
                    String problem = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                    refusals.refuse(property, "JSON path " + problem + "; " + JSON_PATHS);
                }
            }
        }

        /** The mirror's targets: {@code mirror.target} first, then {@code mirror.targets}. */
        private void targets(HeaderRules mirrorHeaders) {
            MirrorProperties p = properties;
            Map<String, String> propertyByName = new HashMap<>();
            IntPredicate mirrorStatus = statusCondition("primary-status", p.getPrimaryStatus());
            if (p.getTarget() != null) {
                MirrorTarget single = target("target", () -> MirrorTarget.of(p.getTarget()));
                if (single != null) {
                    propertyByName.put(single.name(), "target");
                    // A recording target has no answers to compare.
                    MirrorTarget.Builder target = single.newBuilder()
                            .compare(p.getCompare().isEnabled() && !single.records());
                    if (mirrorStatus != null) {
                        target.primaryStatus(mirrorStatus);
                    }
                    if (tls(target, single, "", null)) {
                        builder.target(target.build());
                    }
                }
            }
            String control = null;
            for (int i = 0; i < p.getTargets().size(); i++) {
                TargetProperties each = p.getTargets().get(i);
                String prefix = "targets[" + i + "].";
                if (each.isControl()) {
                    if (Boolean.FALSE.equals(each.getCompare())) {
                        refusals.refuse(prefix + "compare", "is false, but mirror." + prefix + "control is true: the"
                                + " control's answers are always compared (its differences are the noise); remove mirror."
                                + prefix + "compare, or set mirror." + prefix + "control=false");
                    }
                    if (control != null) {
                        refusals.refuse(prefix + "control", "at most one target may be the control, but mirror."
                                + control + " and mirror.targets[" + i + "] are: keep control=true on the one target"
                                + " that runs the primary's version");
                    } else {
                        control = "targets[" + i + "]";
                    }
                }
                MirrorTarget target = target(prefix, each, mirrorHeaders, mirrorStatus);
                if (target == null) {
                    continue;
                }
                String clash = propertyByName.putIfAbsent(target.name(), "targets[" + i + "]");
                if (clash != null) {
                    refusals.refuse(prefix + (each.getName() != null ? "name" : "url"), "two targets are named '"
                            + target.name() + "' (mirror." + clash + " and mirror.targets[" + i + "]): each target"
                            + " needs a unique name, set with mirror.targets[" + i + "].name");
                } else {
                    builder.target(target);
                }
            }
            boolean anyHttps = (p.getTarget() != null && isHttps(p.getTarget()))
                    || p.getTargets().stream().anyMatch(each -> each.getUrl() != null && isHttps(each.getUrl()));
            if (p.getSsl().getBundle() != null && !anyHttps) {
                refusals.refuse("ssl.bundle", "applies to https targets, but no target is https: remove"
                        + " mirror.ssl.bundle, or use https");
            }
        }

        /** One of {@code mirror.targets}, or {@code null} when one of its properties was refused. */
        private MirrorTarget target(String prefix, TargetProperties each, HeaderRules mirrorHeaders,
                IntPredicate mirrorStatus) {
            boolean valid = true;
            if (each.getName() != null && each.getName().isBlank()) {
                refusals.refuse(prefix + "name", "must not be blank: a short, stable name used as the metric tag");
                valid = false;
            }
            MirrorTarget named = null;
            if (each.getUrl() == null || each.getUrl().isBlank()) {
                refusals.refuse(prefix + "url", "is required: the http(s) base URL of the shadow, e.g. http://reviews-v2:9080,"
                        + " or where to record: file:/var/log/traffic.jsonl, kafka://broker:9092/traffic");
            } else if (valid) {
                named = target(prefix + "url", () -> each.getName() != null
                        ? MirrorTarget.of(each.getName(), each.getUrl()) : MirrorTarget.of(each.getUrl()));
            }
            valid &= named != null;
            // The other settings are checked even without a usable URL, each under its own name.
            MirrorTarget.Builder target = (named != null ? named : MirrorTarget.of("unset", "http://unset.invalid"))
                    .newBuilder();
            if (each.getPercentage() != null) {
                valid &= accepted(prefix + "percentage", () -> target.percentage(each.getPercentage()), null);
            }
            if (each.getSampling() != null) {
                Supplier<Sampling> sampling = sampling(prefix + "sampling.", each.getSampling());
                valid &= sampling != null;
                if (sampling != null) {
                    target.sampling(sampling.get());
                }
            }
            Predicate<MirrorRequest> condition = condition(prefix, each);
            if (condition != null) {
                target.condition(condition);
            }
            IntPredicate status = each.getPrimaryStatus().isEmpty() ? mirrorStatus
                    : statusCondition(prefix + "primary-status", each.getPrimaryStatus());
            if (status != null) {
                target.primaryStatus(status);
            }
            if (each.getHeaders() != null) {
                HeaderRules headers = headerRules(prefix + "headers.", each.getHeaders(), mirrorHeaders);
                valid &= headers != null;
                if (headers != null) {
                    target.headers(headers);
                }
            }
            if (named != null) {
                valid &= tls(target, named, prefix, each.getSsl().getBundle());
                valid &= recording(prefix, each, named, target);
            }
            // A recording target has no answers to compare: mirror.compare.enabled is not for it.
            boolean compares = each.getCompare() != null ? each.getCompare()
                    : properties.getCompare().isEnabled() && (named == null || !named.records());
            return valid ? target.headersOnly(each.isHeadersOnly()).compare(compares).control(each.isControl()).build()
                    : null;
        }

        /**
         * A recording target's own settings: its redaction, recorder properties and file rotation,
         * each checked on the target as the core checks it; {@code false} when one was refused.
         */
        private boolean recording(String prefix, TargetProperties each, MirrorTarget named, MirrorTarget.Builder target) {
            boolean valid = true;
            if (each.getRedact() != null) {
                Redaction redaction = redaction(prefix + "redact.", each.getRedact());
                valid = redaction != null && accepted(prefix + "redact", () -> named.redaction(redaction), null);
                if (valid) {
                    target.redaction(redaction);
                }
            }
            if (!each.getRecorder().isEmpty()) {
                Map<String, String> recorder = each.getRecorder();
                boolean accepted = accepted(prefix + "recorder", () -> named.recorderProperties(recorder), null);
                if (accepted) {
                    target.recorderProperties(recorder);
                }
                valid &= accepted;
            }
            if (each.getMaxFileSize() != null || each.getMaxFiles() != null) {
                long bytes = each.getMaxFileSize() != null ? each.getMaxFileSize().toBytes() : 100L << 20;
                int files = each.getMaxFiles() != null ? each.getMaxFiles() : 10;
                String property = prefix + (each.getMaxFileSize() != null ? "max-file-size" : "max-files");
                boolean accepted = accepted(property, () -> named.fileRotation(bytes, files), null);
                if (accepted) {
                    target.fileRotation(bytes, files);
                }
                valid &= accepted;
            }
            return valid;
        }

        /** The redaction these properties describe, or {@code null} when a value was refused. */
        private Redaction redaction(String prefix, RedactProperties redact) {
            Redaction redaction = redact.isDefaultHeaders() ? Redaction.defaults() : Redaction.none();
            boolean valid = true;
            for (String header : redact.getHeaders()) {
                Redaction before = redaction;
                boolean ok = accepted(prefix + "headers", () -> before.headers(header), null);
                redaction = ok ? redaction.headers(header) : redaction;
                valid &= ok;
            }
            for (String path : redact.getJsonPaths()) {
                Redaction before = redaction;
                boolean ok = accepted(prefix + "json-paths", () -> before.jsonPaths(path), null);
                redaction = ok ? redaction.jsonPaths(path) : redaction;
                valid &= ok;
            }
            for (String field : redact.getFormFields()) {
                Redaction before = redaction;
                boolean ok = accepted(prefix + "form-fields", () -> before.formFields(field), null);
                redaction = ok ? redaction.formFields(field) : redaction;
                valid &= ok;
            }
            return valid ? redaction : null;
        }

        /**
         * Gives an https target the TLS of an SSL bundle: its {@code own} (the target's
         * {@code prefix + ssl.bundle}), else the mirror's {@code ssl.bundle}; {@code false} when one was
         * refused.
         */
        private boolean tls(MirrorTarget.Builder target, MirrorTarget named, String prefix, String own) {
            String property = own != null ? prefix + "ssl.bundle" : "ssl.bundle";
            String bundle = own != null ? own : properties.getSsl().getBundle();
            boolean https = isHttps(named.url());
            if (bundle == null || (!https && own == null)) {
                return true;
            }
            if (!https) {
                refusals.refuse(property, "applies to https targets only, but mirror." + prefix + "url is "
                        + named.url() + ": remove mirror." + property + ", or use https");
                return false;
            }
            if (!forReal) {
                return true;
            }
            Supplier<TargetTls> tls = bundleTls(property, bundle);
            if (tls != null) {
                target.tls(tls);
            }
            return tls != null;
        }

        /** The TLS of bundle {@code name}, following its updates; {@code null} when it was refused. */
        private Supplier<TargetTls> bundleTls(String property, String name) {
            if (bundles == null) {
                refusals.refuse(property, "names SSL bundle '" + name + "', but there are no SSL bundles here"
                        + " (Spring Boot's SslAutoConfiguration is off)");
                return null;
            }
            SslBundle bundle;
            try {
                bundle = bundles.getBundle(name);
            } catch (NoSuchSslBundleException e) {
                refusals.refuse(property, "there is no SSL bundle '" + name + "'; the bundles are "
                        + bundles.getBundleNames() + " (spring.ssl.bundle.jks.* and spring.ssl.bundle.pem.*)");
                return null;
            }
            AtomicReference<TargetTls> current = new AtomicReference<>();
            try {
                current.set(targetTls(bundle));
            } catch (RuntimeException e) {
                refusals.refuse(property, "SSL bundle '" + name + "' cannot be used: " + e.getMessage());
                return null;
            }
            bundles.addBundleUpdateHandler(name, updated -> {
                try {
                    current.set(targetTls(updated));
                    log.info("Mirror: SSL bundle '{}' was updated; new connections use it", name);
                } catch (RuntimeException e) {
                    log.warn("Mirror: SSL bundle '{}' was updated but cannot be used; connections keep its previous"
                            + " settings", name, e);
                }
            });
            return current::get;
        }

        private MirrorTarget target(String property, Supplier<MirrorTarget> target) {
            try {
                return target.get();
            } catch (IllegalArgumentException e) {
                // Says what the URL lacks (http(s) scheme, host) or has (user info, query).
                refusals.refuse(property, e.getMessage());
                return null;
            }
        }

        /**
         * What every request must meet for the mirror, or for one target: its included paths and
         * methods, and none of its excluded paths; {@code null} when anything goes (or a value was
         * refused).
         */
        private Predicate<MirrorRequest> condition(String prefix, RequestSelectionProperties selection) {
            List<Predicate<MirrorRequest>> all = new ArrayList<>();
            Predicate<MirrorRequest> included = paths(prefix + "include-paths", selection.getIncludePaths());
            if (included != null) {
                all.add(included);
            }
            Predicate<MirrorRequest> excluded = paths(prefix + "exclude-paths", selection.getExcludePaths());
            if (excluded != null) {
                all.add(excluded.negate());
            }
            List<String> methods = selection.getMethods();
            boolean known = true;
            for (String method : methods) {
                if (!KNOWN_METHODS.contains(method)) {
                    refusals.refuse(prefix + "methods", "'" + method + "' is not an HTTP method; accepts "
                            + String.join(", ", KNOWN_METHODS) + " (any case)");
                    known = false;
                }
            }
            if (known && !methods.isEmpty()) {
                all.add(Conditions.methods(methods.toArray(String[]::new)));
            }
            return all.stream().reduce(Predicate::and).orElse(null);
        }

        private Predicate<MirrorRequest> paths(String property, List<String> patterns) {
            for (String pattern : patterns) {
                try {
                    Conditions.requestTo(pattern);
                } catch (IllegalArgumentException e) {
                    refusals.refuse(property, e.getMessage() + "; " + PATH_PATTERNS);
                    return null;
                }
            }
            return patterns.isEmpty() ? null : Conditions.requestTo(patterns.toArray(String[]::new));
        }

        /** Any of the statuses, or {@code null} for none (or one refused). */
        private IntPredicate statusCondition(String property, List<String> statuses) {
            IntPredicate any = null;
            for (String status : statuses) {
                int[] range = statusRange(status);
                if (range == null) {
                    refusals.refuse(property, "'" + status + "' is not a primary status; accepts status classes (2xx),"
                            + " codes (404) and ranges (200-399) from 100 to 599, e.g. 2xx,304");
                    return null;
                }
                IntPredicate one = Conditions.statusBetween(range[0], range[1]);
                any = any == null ? one : any.or(one);
            }
            return any;
        }

        /**
         * A new sampling per target without a sampling of its own (a counter counts one target's
         * requests), or {@code null} when the properties were refused.
         */
        private Supplier<Sampling> sampling(String prefix, SamplingProperties sampling) {
            boolean named = (sampling.getHeader() == null
                            || token(prefix + "header", sampling.getHeader(), "a header name, e.g. X-User-Id"))
                    & (sampling.getCookie() == null
                            || token(prefix + "cookie", sampling.getCookie(), "a cookie name, e.g. SESSION"))
                    & (sampling.getQueryParameter() == null || accepted(prefix + "query-parameter",
                            () -> Sampling.stickyByQueryParameter(sampling.getQueryParameter()),
                            "must be a query parameter name, e.g. tenant"));
            if (!named) {
                return null;
            }
            Map<String, String> keys = sampling.keys();
            String keyProperties = "mirror." + prefix + "header, mirror." + prefix + "cookie or mirror." + prefix
                    + "query-parameter";
            SamplingStrategy strategy = sampling.getStrategy();
            if (strategy == SamplingStrategy.STICKY && keys.isEmpty()) {
                refusals.refuse(prefix + "strategy", "sticky sampling needs a key: set one of " + keyProperties);
                return null;
            }
            if (strategy != SamplingStrategy.STICKY && !keys.isEmpty()) {
                refusals.refuse(prefix + keys.keySet().iterator().next(), "is the key of sticky sampling, but mirror."
                        + prefix + "strategy is " + strategy.name().toLowerCase(Locale.ROOT) + ": set mirror." + prefix
                        + "strategy=sticky, or remove the key");
                return null;
            }
            if (keys.size() > 1) {
                refusals.refuse(prefix + new ArrayList<>(keys.keySet()).get(1), "sticky sampling takes one key, but "
                        + String.join(" and ", keys.keySet()) + " are set: keep one of " + keyProperties);
                return null;
            }
            String header = sampling.getHeader();
            String cookie = sampling.getCookie();
            String parameter = sampling.getQueryParameter();
            return switch (strategy) {
                case RANDOM -> Sampling::random;
                case COUNTER -> Sampling::counter;
                case STICKY -> header != null ? () -> Sampling.stickyByHeader(header)
                        : cookie != null ? () -> Sampling.stickyByCookie(cookie)
                        : () -> Sampling.stickyByQueryParameter(parameter);
            };
        }

        /** {@code base}, then these rules, or {@code null} when one was refused. */
        private HeaderRules headerRules(String prefix, HeaderProperties headers, HeaderRules base) {
            HeaderRules rules = base;
            for (String name : headers.getRemove()) {
                HeaderRules with = headerRule(prefix + "remove", name, rules, r -> r.remove(name));
                if (with == null) {
                    return null;
                }
                rules = with;
            }
            // The entries of 'set' and 'add' were checked by their setters, as they were bound.
            for (Map.Entry<String, String> header : headers.getSet().entrySet()) {
                rules = rules.set(header.getKey(), header.getValue());
            }
            for (Map.Entry<String, String> header : headers.getAdd().entrySet()) {
                rules = rules.add(header.getKey(), header.getValue());
            }
            return host(prefix, headers, rules);
        }

        private HeaderRules headerRule(String property, String name, HeaderRules rules,
                UnaryOperator<HeaderRules> rule) {
            try {
                return rule.apply(rules);
            } catch (IllegalArgumentException e) {
                refusals.refuse(property, headerRuleRefused(name, e));
                return null;
            }
        }

        /** The rules with the Host these properties choose: a Host value goes with literal or suffix, and is one. */
        private HeaderRules host(String prefix, HeaderProperties headers, HeaderRules rules) {
            HostMode host = headers.getHost();
            String value = headers.getHostValue();
            String mode = host == null ? "not set" : host.name().toLowerCase(Locale.ROOT);
            if (host != HostMode.LITERAL && host != HostMode.SUFFIX) {
                if (value != null) {
                    refusals.refuse(prefix + "host-value", "applies only with mirror." + prefix
                            + "host=literal or suffix, but host is " + mode);
                    return null;
                }
                return host == null ? rules : host == HostMode.TARGET ? rules.targetHost() : rules.preserveHost();
            }
            if (value == null || value.isBlank()) {
                refusals.refuse(prefix + "host-value", "is required with mirror." + prefix + "host=" + mode + ": "
                        + (host == HostMode.LITERAL ? "the Host to send, e.g. reviews.internal:9080"
                                : "the suffix to append to the request's host name, e.g. -shadow"));
                return null;
            }
            try {
                return host == HostMode.LITERAL ? rules.host(value) : rules.hostSuffix(value);
            } catch (IllegalArgumentException e) {
                refusals.refuse(prefix + "host-value", host == HostMode.LITERAL
                        ? "must be a host name or IP literal with an optional port (e.g. reviews.internal:9080),"
                                + " was '" + value + "'"
                        : "must be letters, digits, '.', '-', '_' or '~' (e.g. -shadow), was '" + value + "'");
                return null;
            }
        }

        /** A size the core takes as a number of bytes. */
        private void size(String property, DataSize size, LongConsumer use) {
            accepted(property, () -> use.accept(size.toBytes()),
                    "must be a size of 0B or more (e.g. 512KB, 1MB), was " + size);
        }

        /** A size the core takes as an {@code int} number of bytes. */
        private void intSize(String property, DataSize size, IntConsumer use) {
            if (size != null && size.toBytes() > Integer.MAX_VALUE) {
                refusals.refuse(property, "must be at most " + Integer.MAX_VALUE + "B (just under 2GB), was " + size);
            } else {
                size(property, size, bytes -> use.accept((int) bytes));
            }
        }

        private boolean positive(String property, Duration duration, Consumer<Duration> use) {
            return accepted(property, () -> use.accept(duration), "must be a positive duration (e.g. 500ms, 2s), was " + duration);
        }

        /** Whether {@code name} is a token, as the core's header conditions take it. */
        private boolean token(String property, String name, String what) {
            return accepted(property, () -> Conditions.header(name), "must be " + what + ", was '" + name + "'");
        }

        /**
         * Runs one step of the core; if the core refuses, reports it under {@code property}, as
         * {@code refusal} says, or as the core says when {@code refusal} is {@code null}.
         *
         * @return whether the core took it
         */
        private boolean accepted(String property, Runnable step, String refusal) {
            try {
                step.run();
                return true;
            } catch (IllegalArgumentException | NullPointerException e) {
                refusals.refuse(property, refusal != null ? refusal : e.getMessage());
                return false;
            }
        }
    }

    /**
     * Checks a header rule as the core takes it, for the setters of {@code headers.set} and
     * {@code headers.add}: a map's entries are checked as they are bound, so that Spring Boot names
     * each entry as the user wrote it ({@code set.x-env} or {@code set[X-Env]}).
     *
     * @throws IllegalArgumentException saying what the property accepts
     */
    static void checkHeaderRule(String name, UnaryOperator<HeaderRules> rule) {
        try {
            rule.apply(HeaderRules.defaults());
        } catch (IllegalArgumentException e) {
            // Without the cause: Spring Boot would report the core's message rather than this one.
            throw new IllegalArgumentException(headerRuleRefused(name, e));
        }
    }

    private static String headerRuleRefused(String name, IllegalArgumentException refusal) {
        return name != null && name.equalsIgnoreCase("host")
                ? "the Host is not set with header rules: choose it with 'headers.host' (target, preserve, literal or"
                        + " suffix)"
                : refusal.getMessage() + "; " + HEADER_RULES;
    }

    /** The lowest and highest status {@code status} stands for, or {@code null} when it is none. */
    private static int[] statusRange(String status) {
        Matcher matcher = STATUS.matcher(status);
        if (!matcher.matches()) {
            return null;
        }
        if (matcher.group(1) != null) {
            int hundreds = Integer.parseInt(matcher.group(1)) * 100;
            return new int[] {hundreds, hundreds + 99};
        }
        int lowest = Integer.parseInt(matcher.group(2));
        int highest = matcher.group(3) == null ? lowest : Integer.parseInt(matcher.group(3));
        return lowest <= highest ? new int[] {lowest, highest} : null;
    }

    /** A bundle's TLS for a target: its context, enabled protocols and ciphers. */
    private static TargetTls targetTls(SslBundle bundle) {
        SslOptions options = bundle.getOptions();
        return new TargetTls(bundle.createSslContext(), listed(options.getEnabledProtocols()),
                listed(options.getCiphers()));
    }

    private static boolean isHttps(String url) {
        return url.regionMatches(true, 0, "https:", 0, 6);
    }

    private static List<String> listed(String[] values) {
        return values == null ? List.of() : List.of(values);
    }
}
