package dev.trafficmirror.core;

import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.JsonComparison;
import dev.trafficmirror.core.compare.engine.ComparisonEngine;
import dev.trafficmirror.core.http.ShadowIo;
import dev.trafficmirror.core.integration.MirrorIntegration;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.Recorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors requests to shadow targets without the primary request ever paying for it.
 *
 * <pre>{@code
 * Mirror mirror = Mirror.builder()
 *     .target("http://reviews-v2:9080")
 *     .target(MirrorTarget.of("v3", "http://reviews-v3:9080/v3").percentage(1).sampling(Sampling.counter()))
 *     .condition(Conditions.requestTo("/api/**"))
 *     .headers(HeaderRules.defaults().remove("Authorization", "Cookie"))
 *     .meterRegistry(registry)
 *     .build();
 * mirror.submit(request);              // never blocks, never throws
 * mirror.setPercentage("v3", 5.0);     // seen by the next request
 * mirror.close();                      // drains in-flight copies up to a deadline
 * }</pre>
 *
 * <p>For each request, in order: the loop guard ({@code loop}), the pause switch
 * ({@code disabled}), whether the request can be reproduced safely ({@code invalid_request}), the
 * mirror's conditions ({@code excluded}), then per target its own conditions ({@code excluded}) and
 * its sampling ({@code sampled_out}); once the primary has answered, per target its primary status
 * condition ({@code primary_status}).
 *
 * <p>Each target has its own queue and at most {@link Builder#maxConcurrent maxConcurrent} copies in
 * flight: when both are full the copy is dropped and counted, never waited for. Every request a
 * mirror sees is counted once per target in {@code mirror.requests}, with the outcome and reason of
 * that target's copy, so completed + failed + dropped + skipped always adds up to the requests seen.
 * A target that keeps failing is paused for a while ({@link Builder#circuitBreaker}), so that a dead
 * shadow costs a check per request.
 *
 * <p>Container integrations, which decide on a request's head before its body is read and capture
 * the primary's answer, use {@link #integration()} instead of {@link #submit}.
 *
 * <p>Copies to {@code http://} and {@code https://} targets are sent by one non-blocking I/O thread
 * per mirror ({@code trafficmirror-io}, a daemon thread), on keep-alive connections; answers of
 * comparing targets are compared on one comparing thread ({@code trafficmirror-compare}, a daemon
 * thread). With a {@link Builder#sink sink} of your own, each target's copies are handed to it on
 * {@code maxConcurrent} sender threads of the target's, which are not daemon threads.
 * {@link #close()} the mirror when the application stops.
 */
public final class Mirror implements AutoCloseable {

    /** The header every copy carries; a request that already has it is never mirrored again. */
    public static final String MIRROR_ID_HEADER = "X-Mirror-Id";

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final Dispatcher dispatcher;
    private final String name;
    private final long maxBodySize;
    private final TracePropagation trace;
    private final Duration drainTimeout;
    private final Object closeLock = new Object();

    private Mirror(Builder builder) {
        this.name = builder.name;
        this.maxBodySize = builder.maxBodySize;
        this.trace = builder.trace;
        this.drainTimeout = builder.drainTimeout;
        InFlight inFlight = new InFlight(builder.maxBufferedBytes);
        // Every copy goes out on the I/O thread, unless the application sends copies itself; records
        // go to their targets' recorders.
        MirrorSink sink = builder.sink;
        boolean sends = builder.targets.stream().anyMatch(target -> !target.records());
        ShadowIo io = sink != null || !sends ? null
                : new ShadowIo(builder.connectTimeout, builder.timeout, builder.responseCaptureLimit);
        Map<MirrorTarget, Recorder> recorders = openRecorders(builder.targets, builder.drainTimeout);
        MirrorMeters meters = new MirrorMeters(builder.meterRegistry, builder.name);
        CopyObservations observations = CopyObservations.of(builder.observationRegistry, builder.name, builder.trace);
        List<TargetRoute> routes = new ArrayList<>();
        for (MirrorTarget target : builder.targets) {
            TargetMeters targetMeters = new TargetMeters(meters, target.name());
            TargetLane lane;
            if (target.records()) {
                lane = new TargetLane(target, builder.queueCapacity, recorders.get(target),
                        target.redaction().orElse(builder.redaction), inFlight, targetMeters, builder.breaker);
            } else {
                ShadowIo.Pool pool = io == null ? null : io.pool(target, builder.maxConcurrent, builder.queueCapacity);
                lane = new TargetLane(target, builder.maxConcurrent, builder.queueCapacity, sink, pool, inFlight,
                        targetMeters, builder.breaker, observations);
            }
            Sampling sampling = target.sampling().orElseGet(() -> Objects.requireNonNull(builder.sampling.get(), "sampling"));
            routes.add(new TargetRoute(target, lane, sampling, target.percentage().orElse(builder.percentage),
                    builder.headers, builder.trace));
        }
        List<MirrorTarget> comparing = builder.targets.stream().filter(MirrorTarget::compares).toList();
        ComparisonEngine comparisons = comparing.isEmpty() ? null
                : new ComparisonEngine(builder.compareOptions, meters, comparing);
        CompareExecutor compareExecutor = comparisons == null ? null
                : Objects.requireNonNullElseGet(builder.compareExecutor, () -> new CompareExecutor(CompareExecutor.QUEUE_CAPACITY));
        this.dispatcher = new Dispatcher(routes, builder.condition, builder.maxBodySize, builder.responseCaptureLimit,
                inFlight, comparisons, compareExecutor, meters, io, sink);
        meters.gauge(MirrorMeters.IN_FLIGHT, "Copies accepted and not yet finished (queued or being sent)", null,
                inFlight, InFlight::copies);
        meters.gauge("mirror.buffered", "Body bytes held by copies waiting to be sent or being sent", "bytes",
                inFlight, InFlight::bufferedBytes);
        if (io != null) {
            io.start();
        }
        log.info("{}", this);
        if (!comparing.isEmpty() && !JsonComparison.available().byField()) {
            log.warn("Mirror '{}' compares the answers of {}, but {}", name,
                    comparing.stream().map(MirrorTarget::name).toList(), JsonComparison.WHOLE_BODIES_WARNING);
        }
    }

    /**
     * Opens every recording target's recorder (a file, a producer); if one cannot be opened, closes
     * those already open and fails the build.
     */
    private static Map<MirrorTarget, Recorder> openRecorders(List<MirrorTarget> targets, Duration closeTimeout) {
        Map<MirrorTarget, Recorder> recorders = new IdentityHashMap<>();
        try {
            for (MirrorTarget target : targets) {
                if (target.records()) {
                    recorders.put(target, Recorders.open(target));
                }
            }
        } catch (RuntimeException e) {
            recorders.values().forEach(recorder -> recorder.close(closeTimeout));
            throw e;
        }
        return recorders;
    }

    /**
     * What the mirror does, in one line, as logged once it is built: its targets with their URLs and
     * percentages, which compare, the body cap and the trace setting.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Mirror '").append(name).append("' mirrors to ");
        List<TargetRoute> routes = dispatcher.routes();
        for (int i = 0; i < routes.size(); i++) {
            MirrorTarget target = routes.get(i).target();
            text.append(i == 0 ? "" : ", ").append(target.name()).append('=').append(target.url()).append(" at ")
                    .append(routes.get(i).percentage()).append('%')
                    .append(target.isControl() ? " (control)" : target.compares() ? " (compared)"
                            : target.records() ? " (recorded)" : "");
        }
        return text.append("; request bodies up to ").append(maxBodySize).append(" bytes; trace context ")
                .append(trace.name().toLowerCase(Locale.ROOT)).toString();
    }

    /** Starts configuring a mirror. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mirrors a complete request (body included) to the targets that take it. Never blocks and never
     * throws: whatever happens is counted in {@code mirror.requests}.
     */
    public void submit(MirrorRequest request) {
        dispatcher.submit(request, Dispatcher.UNKNOWN_STATUS, null);
    }

    /**
     * Mirrors a complete request (body included) that the primary answered with
     * {@code primaryStatus}, to the targets that take it. Never blocks and never throws.
     */
    public void submit(MirrorRequest request, int primaryStatus) {
        dispatcher.submit(request, primaryStatus, null);
    }

    /**
     * The hooks of container integrations such as mirror-servlet's {@code MirrorFilter}: deciding on
     * a request's head before its body is read, and comparing with the primary's captured answer.
     * Applications that only configure a mirror do not need them.
     */
    public MirrorIntegration integration() {
        return dispatcher;
    }

    /** What the mirror holds right now, for tests of its bounds. */
    InFlight inFlight() {
        return dispatcher.inFlight();
    }

    /** Connections open to the targets, idle or busy; for tests that look for leaks. */
    int connectionCount() {
        return dispatcher.connectionCount();
    }

    /** The mirror's name: the {@code mirror} tag of its meters ({@code default} unless {@link Builder#name set}). */
    public String name() {
        return name;
    }

    /** The targets, in the order configured. */
    public List<MirrorTarget> targets() {
        return dispatcher.routes().stream().map(TargetRoute::target).toList();
    }

    /**
     * Changes a target's percentage while running, whatever its sampling; the next request sees it.
     *
     * @param percent 0 to 100, decimals allowed
     * @throws IllegalArgumentException if there is no such target or the percentage is out of range
     */
    public void setPercentage(String target, double percent) {
        dispatcher.route(target).setPercentage(percent);
    }

    /**
     * A target's current percentage.
     *
     * @throws IllegalArgumentException if there is no such target
     */
    public double percentage(String target) {
        return dispatcher.route(target).percentage();
    }

    /**
     * What each target has done so far, in the order configured: its current percentage, its
     * counts by reason (the numbers of {@code mirror.requests}, whatever the meter registry) and
     * its last few failures. A copy taken now; cheap enough to call on demand, not per request.
     */
    public List<TargetStats> stats() {
        return dispatcher.routes().stream().map(route -> route.lane().stats(route.percentage())).toList();
    }

    /**
     * What the comparing targets' answers showed so far: per target counts, top differing fields,
     * latencies, recent mismatches and the noise a control revealed. Empty when no target compares.
     */
    public ComparisonSummary comparisons() {
        ComparisonEngine comparisons = dispatcher.comparisons();
        return comparisons == null ? ComparisonSummary.empty() : comparisons.summary();
    }

    /** Pauses ({@code false}) or resumes mirroring; paused requests are counted as {@code disabled}. */
    public void setEnabled(boolean enabled) {
        dispatcher.setEnabled(enabled);
    }

    /** Whether mirroring is on (not paused and not closed). */
    public boolean isEnabled() {
        return dispatcher.isEnabled();
    }

    /** Stops mirroring and drains in-flight copies for up to the configured drain timeout. */
    @Override
    public void close() {
        close(drainTimeout);
    }

    /**
     * Stops taking new copies, lets in-flight copies finish for up to {@code timeout}, then cancels
     * what is left (counted as {@code shutdown}) and stops the I/O thread and every sender thread.
     * Idempotent; a second caller returns once the first one is done.
     */
    public void close(Duration timeout) {
        synchronized (closeLock) {
            dispatcher.close(timeout);
        }
    }

    /** Configures a {@link Mirror}. Every setting has a default; only a target is required. */
    public static final class Builder {
        private final List<MirrorTarget> targets = new ArrayList<>();
        private double percentage = 100.0;
        private Supplier<? extends Sampling> sampling = Sampling::random;
        private Predicate<MirrorRequest> condition;
        private HeaderRules headers = HeaderRules.defaults();
        private TracePropagation trace = TracePropagation.UNSAMPLED;
        private long maxBodySize = 1 << 20;
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(5);
        private int maxConcurrent = 16;
        private int queueCapacity = 1000;
        private long maxBufferedBytes = 64L << 20;
        private int responseCaptureLimit = 64 << 10;
        private CompareOptions compareOptions = CompareOptions.defaults();
        private Duration drainTimeout = Duration.ofSeconds(5);
        private TargetBreaker.Settings breaker = TargetBreaker.Settings.DEFAULT;
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private ObservationRegistry observationRegistry;
        private String name = "default";
        private MirrorSink sink;
        private Redaction redaction = Redaction.defaults();
        private CompareExecutor compareExecutor;

        private Builder() {
        }

        /** Adds a target by URL, named after its host and port. */
        public Builder target(String url) {
            return target(MirrorTarget.of(url));
        }

        /** Adds a target. */
        public Builder target(MirrorTarget target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        /** The share of requests mirrored to targets without a percentage of their own; default 100. */
        public Builder percentage(double percent) {
            this.percentage = MirrorTarget.checkPercentage(percent, "percentage");
            return this;
        }

        /**
         * How targets without a sampling of their own pick requests; called once per such target,
         * so that each has its own state: {@code .sampling(Sampling::counter)}. Default
         * {@link Sampling#random()}.
         */
        public Builder sampling(Supplier<? extends Sampling> perTarget) {
            this.sampling = Objects.requireNonNull(perTarget, "sampling");
            return this;
        }

        /**
         * Only requests that meet the condition are mirrored (to any target); calling this again
         * adds a condition (both must hold). Built with {@link Conditions}; decided on the head,
         * before any body is read; refused requests count as {@code excluded}.
         */
        public Builder condition(Predicate<MirrorRequest> requestCondition) {
            Objects.requireNonNull(requestCondition, "condition");
            this.condition = condition == null ? requestCondition : condition.and(requestCondition);
            return this;
        }

        /**
         * The header and Host rules of targets without rules of their own; default
         * {@link HeaderRules#defaults()} (headers unchanged, the target's Host).
         */
        public Builder headers(HeaderRules rules) {
            this.headers = Objects.requireNonNull(rules, "headers");
            return this;
        }

        /**
         * What copies do with the request's trace context; default {@link TracePropagation#UNSAMPLED}:
         * the same trace id, a span of their own, not sampled, so that the shadow's work never shows
         * in production traces as production work. Header rules run after it.
         */
        public Builder trace(TracePropagation propagation) {
            this.trace = Objects.requireNonNull(propagation, "trace");
            return this;
        }

        /** Requests with a larger body are not mirrored ({@code body_too_large}); default 1 MiB. */
        public Builder maxBodySize(long bytes) {
            this.maxBodySize = requireAtLeast(bytes, 0, "maxBodySize");
            return this;
        }

        /** How long a copy may take to connect ({@code connect}); default 1 s; built-in HTTP senders only. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = requirePositive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long a whole copy may take, connecting to answer ({@code timeout}), from the moment it
         * leaves the queue: the wait there is not included; default 5 s. Built-in HTTP senders only.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = requirePositive(timeout, "timeout");
            return this;
        }

        /**
         * Copies in flight to one target at the same time; default 16: its keep-alive connections on
         * the mirror's I/O thread or, with a {@link #sink sink} of your own, its sender threads.
         */
        public Builder maxConcurrent(int maxConcurrent) {
            this.maxConcurrent = (int) requireAtLeast(maxConcurrent, 1, "maxConcurrent");
            return this;
        }

        /**
         * Copies that may wait, per target, for one of its {@link #maxConcurrent} connections or
         * sender threads; 0 for none; default 1000. Beyond it copies are dropped ({@code queue_full}).
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = (int) requireAtLeast(queueCapacity, 0, "queueCapacity");
            return this;
        }

        /**
         * Body bytes that waiting and in-flight copies, and the bodies of requests still being read
         * (teed), may hold together; default 64 MiB. Beyond it copies are dropped ({@code memory_budget}).
         */
        public Builder maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = requireAtLeast(bytes, 0, "maxBufferedBytes");
            return this;
        }

        /**
         * How much of each answer's body is read and kept, the shadow's and, for comparing targets,
         * the primary's; a larger body is not compared ({@code not_comparable}); default 64 KiB.
         */
        public Builder responseCaptureLimit(int bytes) {
            this.responseCaptureLimit = (int) requireAtLeast(bytes, 0, "responseCaptureLimit");
            return this;
        }

        /** How long {@link Mirror#close()} waits for in-flight copies; default 5 s. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must not be negative, was " + drainTimeout);
            }
            return this;
        }

        /**
         * Pauses a target after {@code failures} consecutive failed copies (timeout, connect, TLS,
         * I/O, errors in the sink): for {@code coolDown} its copies are skipped and counted as {@code circuit_open}; then
         * one copy probes it, and the target resumes if that copy is answered, or pauses again. A
         * shadow that answers, whatever the status (5xx included), is not failing. Each target has
         * its own breaker. Default: 10 failures, 10 s.
         *
         * @throws IllegalArgumentException if {@code failures} is below 1 or {@code coolDown} is not positive
         */
        public Builder circuitBreaker(int failures, Duration coolDown) {
            this.breaker = new TargetBreaker.Settings((int) requireAtLeast(failures, 1, "circuitBreaker failures"),
                    requirePositive(coolDown, "circuitBreaker coolDown"));
            return this;
        }

        /** Turns the circuit breaker off: every copy is attempted, however the previous ones ended. */
        public Builder noCircuitBreaker() {
            this.breaker = TargetBreaker.Settings.OFF;
            return this;
        }

        /**
         * The mirror's name: the {@code mirror} tag of every meter it registers, so that two mirrors in
         * one registry keep their numbers apart; default {@code default}. Two mirrors of one name may
         * not share a registry (build fails) until the first is closed, which removes its meters.
         *
         * @throws IllegalArgumentException if the name is blank
         */
        public Builder name(String mirrorName) {
            if (mirrorName == null || mirrorName.isBlank()) {
                throw new IllegalArgumentException("name must not be blank: it is the mirror tag of every meter");
            }
            this.name = mirrorName;
            return this;
        }

        /**
         * What recording targets without a redaction of their own mask before a record leaves the
         * process; default {@link Redaction#defaults()}: the values of {@code Authorization},
         * {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie}.
         */
        public Builder redaction(Redaction masked) {
            this.redaction = Objects.requireNonNull(masked, "redaction");
            return this;
        }

        /** Where the metrics go; default Micrometer's global registry. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Where each copy that goes out to its shadow is observed, as {@code mirror.copy}; default
         * none (nor does {@link ObservationRegistry#NOOP}): nothing is observed and nothing spent.
         *
         * <p>Low-cardinality keys: {@code mirror} (this mirror's {@link #name}), {@code target},
         * {@code outcome} and {@code reason} (as {@code mirror.requests} counts the copy: completed
         * and none, or failed and timeout, connect, tls, io, error) and {@code status}, the class of
         * the shadow's answer ({@code 2xx} ... {@code 5xx}, {@code none} without one); high-cardinality:
         * {@code mirror.id}, the copy's {@value Mirror#MIRROR_ID_HEADER}. The observation spans the copy's
         * exchange, from when its turn comes to when it settles, on the mirror's threads. A copy that
         * never goes out (dropped or skipped) is not observed.
         *
         * <p>The copy's observation is a child of the request's current observation only when the
         * trace context is {@link TracePropagation#PROPAGATE propagated} ({@link #trace}); otherwise it
         * has no parent, so that with Micrometer Tracing the copy's span is not in the production trace.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
            return this;
        }

        /**
         * How the answers of comparing targets ({@link MirrorTarget#compare}) are compared; default
         * {@link CompareOptions#defaults()}.
         */
        public Builder comparison(CompareOptions options) {
            this.compareOptions = Objects.requireNonNull(options, "comparison");
            return this;
        }

        /**
         * Replaces the built-in HTTP senders for every target, e.g. with mirror-test's {@code RecordingSink} in
         * tests: the sink is called on each target's {@link #maxConcurrent} sender threads.
         */
        public Builder sink(MirrorSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Where comparisons run, for tests that need to hold them up; the mirror closes it. */
        Builder compareExecutor(CompareExecutor executor) {
            this.compareExecutor = Objects.requireNonNull(executor, "compareExecutor");
            return this;
        }

        /**
         * Builds the mirror and starts its I/O thread (unless a {@link #sink sink} of the application's
         * sends the copies; its sender threads start with the first copies).
         *
         * @throws IllegalArgumentException if there is no target, two targets share a name, more
         *     than one target is the control, a recording target cannot be opened, JSON paths are to be
         *     masked without Jackson on the class path, or a target compares with ignored paths or
         *     unordered arrays that no Jackson on the class path can apply ({@link JsonComparison#WHOLE_BODIES})
         */
        public Mirror build() {
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("a mirror needs at least one target");
            }
            List<String> controls = targets.stream().filter(MirrorTarget::isControl).map(MirrorTarget::name).toList();
            if (controls.size() > 1) {
                throw new IllegalArgumentException("at most one target may be the control, but " + controls + " are");
            }
            Set<String> names = new HashSet<>();
            for (MirrorTarget target : targets) {
                if (!names.add(target.name())) {
                    throw new IllegalArgumentException("two targets are named '" + target.name() + "'");
                }
                Redaction masked = target.redaction().orElse(redaction);
                if (target.records() && !masked.jsonPaths().isEmpty() && !RecordFormat.canDecode()) {
                    throw new IllegalArgumentException("redaction of JSON paths " + masked.jsonPaths() + " needs Jackson"
                            + " (com.fasterxml.jackson.core:jackson-databind) on the class path, or target '"
                            + target.name() + "' would record those fields in clear: add jackson-databind, or mask"
                            + " no JSON paths");
                }
            }
            checkJsonOptions();
            return new Mirror(this);
        }

        /** Ignored paths and unordered arrays cannot be honoured without a Jackson to read JSON: refused. */
        private void checkJsonOptions() {
            if (JsonComparison.available().byField() || targets.stream().noneMatch(MirrorTarget::compares)) {
                return;
            }
            List<String> unusable = new ArrayList<>();
            if (!compareOptions.ignoredPaths().isEmpty()) {
                unusable.add("ignorePaths " + compareOptions.ignoredPaths());
            }
            if (!compareOptions.unorderedArrays().isEmpty()) {
                unusable.add("unorderedArrays " + compareOptions.unorderedArrays());
            }
            if (!unusable.isEmpty()) {
                throw new IllegalArgumentException("comparison " + String.join(" and ", unusable) + " cannot apply: "
                        + JsonComparison.WHOLE_BODIES_WARNING);
            }
        }

        private static long requireAtLeast(long value, long min, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
            }
            return value;
        }

        private static Duration requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
