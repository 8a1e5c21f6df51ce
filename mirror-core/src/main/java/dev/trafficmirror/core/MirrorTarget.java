package dev.trafficmirror.core;

import dev.trafficmirror.core.http.TargetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A shadow endpoint that receives copies: a name (the {@code target} metric tag), a base URL and,
 * optionally, settings of its own that override the mirror's: percentage, sampling, conditions,
 * header rules, whether it wants only copies of requests the primary answered in some way, and
 * whether it gets the body at all, and whether its answers are compared with the primary's
 * ({@link #compare}) or it is the control target ({@link #control}). Immutable: every setting
 * returns a new target.
 *
 * <pre>{@code
 * Mirror.builder()
 *     .target(MirrorTarget.of("a", "http://reviews-a:9080").percentage(1))
 *     .target(MirrorTarget.of("b", "http://reviews-b:9080/v2").percentage(3)
 *         .sampling(Sampling.stickyByCookie("SESSION"))
 *         .primaryStatus(Conditions.successful()))
 *     .build();
 * }</pre>
 *
 * <p>The URL is {@code http} or {@code https} with a host (a name, {@code _} allowed as in
 * docker-compose's {@code shadow_v2}, an absolute name with a trailing dot, an IPv4 address or an
 * IPv6 address in brackets), an optional port and an optional base path: with {@code http://reviews-v2:9080/v2}, a request to {@code /reviews/1} is mirrored to
 * {@code http://reviews-v2:9080/v2/reviews/1}. Nothing in a request can change the scheme, host or
 * port a copy goes to, nor lead it out of the base path.
 *
 * <p>A <b>recording target</b> writes each exchange it takes, rather than sending a copy: to a file,
 * {@code file:/var/log/traffic.jsonl} (one record per line, rotated by size: {@link #fileRotation}),
 * or, with mirror-kafka on the class path, to a Kafka topic, {@code kafka://broker:9092/traffic}. Its
 * record holds the request as its copy would go out (header rules applied) and the primary's answer,
 * {@link Redaction redacted} ({@link #redaction}); see {@code dev.trafficmirror.core.record}. It takes
 * its share of requests like any target (percentage, sampling, conditions, bounds, breaker, meters),
 * has no answer to compare, and is named after its file or topic.
 */
public final class MirrorTarget {

    /** Percentages are kept as parts per million of requests. */
    static final long ONE_MILLION = 1_000_000L;
    /** A {@code file:} target's default rotation: past 100 MiB, keeping 10 files. */
    static final long DEFAULT_MAX_FILE_BYTES = 100L << 20;
    static final int DEFAULT_MAX_FILES = 10;

    private final String name;
    private final String url;
    private final OptionalDouble percentage;
    private final Sampling sampling;
    private final Predicate<MirrorRequest> condition;
    private final IntPredicate primaryStatus;
    private final HeaderRules headers;
    private final boolean headersOnly;
    private final boolean compare;
    private final boolean control;
    private final Supplier<TargetTls> tls;
    private final boolean records;
    private final Redaction redaction;
    private final long maxFileBytes;
    private final int maxFiles;
    private final Map<String, String> recorderProperties;

    private MirrorTarget(Builder builder) {
        this.name = builder.name;
        this.url = builder.url;
        this.percentage = builder.percentage;
        this.sampling = builder.sampling;
        this.condition = builder.condition;
        this.primaryStatus = builder.primaryStatus;
        this.headers = builder.headers;
        this.headersOnly = builder.headersOnly;
        this.control = builder.control;
        this.compare = builder.compare || builder.control;
        this.tls = builder.tls;
        this.records = builder.records;
        this.redaction = builder.redaction;
        this.maxFileBytes = builder.maxFileBytes;
        this.maxFiles = builder.maxFiles;
        this.recorderProperties = Map.copyOf(builder.recorderProperties);
    }

    /**
     * A target named after its URL's host and port (a recording target: after its file or topic).
     *
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host
     */
    public static MirrorTarget of(String url) {
        String name = Recorders.records(url) ? checkRecording(url) : TargetAddress.of(url).authority();
        return new Builder(name, url).build();
    }

    /** The default name of a recording target, once its URL is checked. */
    private static String checkRecording(String url) {
        Recorders.check(url, Map.of());
        return Recorders.defaultName(url);
    }

    /**
     * A named target.
     *
     * @param name a short, stable name used as the {@code target} metric tag
     * @throws IllegalArgumentException if the name is blank or the URL is not an absolute http(s) URL
     *     nor a recording target's ({@code file:}, or {@code kafka://} with mirror-kafka on the class path)
     */
    public static MirrorTarget of(String name, String url) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("target name must not be blank");
        }
        if (Recorders.records(url)) {
            Recorders.check(url, Map.of());
        } else {
            TargetAddress.of(url);
        }
        return new Builder(name, url).build();
    }

    /** A builder holding this target's settings, to change several at once. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /**
     * This target with its own sampling percentage, overriding {@link Mirror.Builder#percentage}.
     * It can be changed later, while running, with {@link Mirror#setPercentage}.
     *
     * @param percent 0 to 100, decimals allowed (0.5 mirrors one request in 200)
     */
    public MirrorTarget percentage(double percent) {
        return newBuilder().percentage(percent).build();
    }

    /** This target with its own sampling strategy, overriding {@link Mirror.Builder#sampling}. */
    public MirrorTarget sampling(Sampling strategy) {
        return newBuilder().sampling(strategy).build();
    }

    /**
     * This target takes only requests that also meet {@code requestCondition}, besides the
     * mirror's own conditions; calling this again adds a condition (both must hold). Requests it
     * refuses are counted for this target as {@code excluded}.
     */
    public MirrorTarget condition(Predicate<MirrorRequest> requestCondition) {
        return newBuilder().condition(requestCondition).build();
    }

    /**
     * This target takes only requests whose primary answered with a status {@code status} accepts,
     * e.g. {@link Conditions#successful()}; others are counted as {@code primary_status}. Needs
     * the primary's status at completion: a request handed over without it is not mirrored here.
     */
    public MirrorTarget primaryStatus(IntPredicate status) {
        return newBuilder().primaryStatus(status).build();
    }

    /** This target with its own header and Host rules, replacing {@link Mirror.Builder#headers}. */
    public MirrorTarget headers(HeaderRules rules) {
        return newBuilder().headers(rules).build();
    }

    /**
     * Whether this target gets copies without their body. A headers-only copy has no body
     * ({@code Content-Length: 0} for methods that need one), no headers describing the body
     * ({@code Content-Type}, {@code Content-Encoding}...), and is not refused for its body's size (unless
     * it shares the request with a target that needs the body, which is).
     * When every target picked for a request is headers-only, the body is not even teed.
     */
    public MirrorTarget headersOnly(boolean withoutBody) {
        return newBuilder().headersOnly(withoutBody).build();
    }

    /**
     * This target with its answers compared with the primary's ({@code true}) or not (the default).
     * Comparing costs the request thread a capped copy of the primary's answer, so it is off unless
     * asked for. See {@code dev.trafficmirror.core.compare.CompareOptions}.
     */
    public MirrorTarget compare(boolean compareAnswers) {
        return newBuilder().compare(compareAnswers).build();
    }

    /**
     * This target as the control ({@code true}): it runs the primary's own version, so whatever
     * differs between its answers and the primary's is noise (timestamps, random ids), and is not
     * reported for the other targets. A control is compared too. At most one target is the control;
     * give it at least the percentage of the targets it serves, so that it sees their requests.
     */
    public MirrorTarget control(boolean isControl) {
        return newBuilder().control(isControl).build();
    }

    /**
     * This {@code https} target with an {@link SSLContext} of its own: the trust material its
     * certificate is checked against and, for mutual TLS, the client certificate it is shown, instead
     * of the JVM's defaults. The host name is verified whatever the context.
     *
     * @throws IllegalArgumentException if the target is not {@code https}
     */
    public MirrorTarget sslContext(SSLContext context) {
        TargetTls tls = TargetTls.of(context);
        return newBuilder().tls(() -> tls).build();
    }

    /**
     * This {@code https} target with the TLS settings {@code tls} gives at the time each new
     * connection is opened, so that certificates can be reloaded (Spring Boot's SSL bundles are);
     * connections already open keep theirs.
     *
     * @throws IllegalArgumentException if the target is not {@code https}
     */
    public MirrorTarget tls(Supplier<TargetTls> tls) {
        return newBuilder().tls(tls).build();
    }

    /**
     * This recording target with a redaction of its own, replacing {@link Mirror.Builder#redaction}:
     * what it masks before a record leaves the process.
     *
     * @throws IllegalArgumentException if the target does not record
     */
    public MirrorTarget redaction(Redaction masked) {
        return newBuilder().redaction(masked).build();
    }

    /**
     * This {@code file:} target with its own rotation: once the file would grow past
     * {@code maxFileBytes} it is renamed (with the time in its name) and a new one begun, and only the
     * {@code maxFiles} newest renamed files are kept. Default: 100 MiB, 10 files.
     *
     * @throws IllegalArgumentException if the target is not a {@code file:} target, or a bound is below 1
     */
    public MirrorTarget fileRotation(long maxFileBytes, int maxFiles) {
        return newBuilder().fileRotation(maxFileBytes, maxFiles).build();
    }

    /**
     * This recording target with properties for its recorder, e.g. for {@code kafka://} the Kafka
     * producer's ({@code compression.type}, {@code security.protocol}, {@code sasl.jaas.config}): see
     * the module that records to its scheme.
     *
     * @throws IllegalArgumentException if the target does not record, or its recorder refuses a property
     */
    public MirrorTarget recorderProperties(Map<String, String> properties) {
        return newBuilder().recorderProperties(properties).build();
    }

    /** Whether this target records exchanges ({@code file:}, {@code kafka://}) rather than sending copies. */
    public boolean records() {
        return records;
    }

    /** The recording target's own redaction, if it has one. */
    public Optional<Redaction> redaction() {
        return Optional.ofNullable(redaction);
    }

    /** For a {@code file:} target: the size past which the file is rotated. */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** For a {@code file:} target: how many rotated files are kept besides the current one. */
    public int maxFiles() {
        return maxFiles;
    }

    /** The recording target's recorder properties; empty for none. */
    public Map<String, String> recorderProperties() {
        return recorderProperties;
    }

    /** The target's own TLS settings, as each new connection asks for them; empty for the JVM's defaults. */
    public Optional<Supplier<TargetTls>> tls() {
        return Optional.ofNullable(tls);
    }

    /** Whether this target's answers are compared with the primary's (a control's are). */
    public boolean compares() {
        return compare;
    }

    /** Whether this target is the control: the primary's own version, whose differences are noise. */
    public boolean isControl() {
        return control;
    }

    /** The name, used as the {@code target} metric tag. */
    public String name() {
        return name;
    }

    /** The base URL, without a trailing slash. */
    public String url() {
        return url;
    }

    /** The target's own sampling percentage, if it has one. */
    public OptionalDouble percentage() {
        return percentage;
    }

    /** The target's own sampling strategy, if it has one. */
    public Optional<Sampling> sampling() {
        return Optional.ofNullable(sampling);
    }

    /** The target's own request condition, if it has one. */
    public Optional<Predicate<MirrorRequest>> condition() {
        return Optional.ofNullable(condition);
    }

    /** The primary statuses this target takes copies of, if it is restricted. */
    public Optional<IntPredicate> primaryStatus() {
        return Optional.ofNullable(primaryStatus);
    }

    /** The target's own header rules, if it has them. */
    public Optional<HeaderRules> headers() {
        return Optional.ofNullable(headers);
    }

    /** Whether copies go to this target without their body. */
    public boolean isHeadersOnly() {
        return headersOnly;
    }

    static double checkPercentage(double percent, String what) {
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw new IllegalArgumentException(what + " must be between 0 and 100, was " + percent);
        }
        return percent;
    }

    /** A percentage as parts per million of requests, rounded. */
    static long perMillion(double percent) {
        return Math.round(percent * (ONE_MILLION / 100));
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Changes several settings of a target at once: {@code target.newBuilder().percentage(10)
     * .compare(true).build()}. Each setting means what the method of the same name on
     * {@link MirrorTarget} says. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final String url;
        private OptionalDouble percentage = OptionalDouble.empty();
        private Sampling sampling;
        private Predicate<MirrorRequest> condition;
        private IntPredicate primaryStatus;
        private HeaderRules headers;
        private boolean headersOnly;
        private boolean compare;
        private boolean control;
        private Supplier<TargetTls> tls;
        private final boolean records;
        private Redaction redaction;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int maxFiles = DEFAULT_MAX_FILES;
        private boolean rotationSet;
        private Map<String, String> recorderProperties = Map.of();

        private Builder(String name, String url) {
            this.name = name;
            this.records = Recorders.records(url);
            this.url = records ? url : stripTrailingSlash(url);
        }

        private Builder(MirrorTarget target) {
            this.name = target.name;
            this.url = target.url;
            this.percentage = target.percentage;
            this.sampling = target.sampling;
            this.condition = target.condition;
            this.primaryStatus = target.primaryStatus;
            this.headers = target.headers;
            this.headersOnly = target.headersOnly;
            this.compare = target.compare;
            this.control = target.control;
            this.tls = target.tls;
            this.records = target.records;
            this.redaction = target.redaction;
            this.maxFileBytes = target.maxFileBytes;
            this.maxFiles = target.maxFiles;
            this.rotationSet = target.maxFileBytes != DEFAULT_MAX_FILE_BYTES || target.maxFiles != DEFAULT_MAX_FILES;
            this.recorderProperties = target.recorderProperties;
        }

        /** See {@link MirrorTarget#redaction(Redaction)}. */
        public Builder redaction(Redaction masked) {
            this.redaction = Objects.requireNonNull(masked, "redaction");
            return this;
        }

        /** See {@link MirrorTarget#fileRotation(long, int)}. */
        public Builder fileRotation(long maxFileBytes, int maxFiles) {
            if (maxFileBytes < 1 || maxFiles < 1) {
                throw new IllegalArgumentException("file rotation of target '" + name + "' needs a size and a number"
                        + " of files of at least 1, was " + maxFileBytes + " bytes and " + maxFiles + " files");
            }
            this.maxFileBytes = maxFileBytes;
            this.maxFiles = maxFiles;
            this.rotationSet = true;
            return this;
        }

        /** See {@link MirrorTarget#recorderProperties(Map)}. */
        public Builder recorderProperties(Map<String, String> properties) {
            this.recorderProperties = new LinkedHashMap<>(Objects.requireNonNull(properties, "recorderProperties"));
            return this;
        }

        /** See {@link MirrorTarget#percentage(double)}. */
        public Builder percentage(double percent) {
            this.percentage = OptionalDouble.of(checkPercentage(percent, "percentage of target '" + name + "'"));
            return this;
        }

        /** See {@link MirrorTarget#sampling(Sampling)}. */
        public Builder sampling(Sampling strategy) {
            this.sampling = Objects.requireNonNull(strategy, "sampling");
            return this;
        }

        /** See {@link MirrorTarget#condition(Predicate)}: adds a condition to any set before. */
        public Builder condition(Predicate<MirrorRequest> requestCondition) {
            Objects.requireNonNull(requestCondition, "condition");
            this.condition = condition == null ? requestCondition : condition.and(requestCondition);
            return this;
        }

        /** See {@link MirrorTarget#primaryStatus(IntPredicate)}. */
        public Builder primaryStatus(IntPredicate status) {
            this.primaryStatus = Objects.requireNonNull(status, "primaryStatus");
            return this;
        }

        /** See {@link MirrorTarget#headers(HeaderRules)}. */
        public Builder headers(HeaderRules rules) {
            this.headers = Objects.requireNonNull(rules, "headers");
            return this;
        }

        /** See {@link MirrorTarget#headersOnly(boolean)}. */
        public Builder headersOnly(boolean withoutBody) {
            this.headersOnly = withoutBody;
            return this;
        }

        /** See {@link MirrorTarget#compare(boolean)}. */
        public Builder compare(boolean compareAnswers) {
            this.compare = compareAnswers;
            return this;
        }

        /** See {@link MirrorTarget#control(boolean)}. */
        public Builder control(boolean isControl) {
            this.control = isControl;
            return this;
        }

        /** See {@link MirrorTarget#tls(Supplier)}. */
        public Builder tls(Supplier<TargetTls> tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * The target.
         *
         * @throws IllegalArgumentException if it has TLS settings but is not {@code https}: they would
         *     not be used
         */
        public MirrorTarget build() {
            if (records) {
                checkRecording();
            } else if (redaction != null || rotationSet || !recorderProperties.isEmpty()) {
                throw new IllegalArgumentException("target '" + name + "' is " + url + ": it sends copies and records"
                        + " nothing, so its " + (redaction != null ? "redaction" : rotationSet ? "file rotation"
                        : "recorder properties") + " would not be used");
            }
            if (tls != null && (records || !TargetAddress.of(url).tls())) {
                throw new IllegalArgumentException("target '" + name + "' is " + url + ", not https: its TLS settings"
                        + " would not be used");
            }
            return new MirrorTarget(this);
        }

        private void checkRecording() {
            if (compare || control) {
                throw new IllegalArgumentException("target '" + name + "' records to " + url + ": it has no answers to"
                        + " compare, so it cannot be " + (control ? "the control" : "compared"));
            }
            if (rotationSet && !url.regionMatches(true, 0, "file:", 0, 5)) {
                throw new IllegalArgumentException("target '" + name + "' records to " + url + ", not to a file: its"
                        + " file rotation would not be used");
            }
            Recorders.check(url, recorderProperties);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MirrorTarget other && name.equals(other.name) && url.equals(other.url)
                && percentage.equals(other.percentage) && Objects.equals(sampling, other.sampling)
                && Objects.equals(condition, other.condition) && Objects.equals(primaryStatus, other.primaryStatus)
                && Objects.equals(headers, other.headers) && headersOnly == other.headersOnly
                && compare == other.compare && control == other.control
                && Objects.equals(tls, other.tls) && Objects.equals(redaction, other.redaction)
                && maxFileBytes == other.maxFileBytes && maxFiles == other.maxFiles
                && recorderProperties.equals(other.recorderProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url, percentage, sampling, condition, primaryStatus, headers, headersOnly, compare,
                control, tls, redaction, maxFileBytes, maxFiles, recorderProperties);
    }

    @Override
    public String toString() {
        return name + "=" + url + (percentage.isPresent() ? " (" + percentage.getAsDouble() + "%)" : "")
                + (sampling != null ? " " + sampling : "") + (headersOnly ? " headers-only" : "")
                + (control ? " [control]" : compare ? " [compare]" : records ? " [record]" : "");
    }
}
