package dev.trafficmirror.core;

import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.ComparisonEngine;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.PrimaryResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
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
 * <p>Integrations that read the body while the application runs use {@link #begin} and
 * {@link PendingMirror} instead of {@link #submit}, so that a request no target takes costs nothing.
 *
 * <p>Copies to plain {@code http://} targets that do not compare answers are sent by one
 * non-blocking I/O thread per mirror ({@code trafficmirror-io}, a daemon thread), on keep-alive
 * connections; {@code https://} targets, comparing targets and every target of a
 * {@link Builder#sink sink} of your own are sent by {@code maxConcurrent} sender threads per target,
 * which are not daemon threads. {@link #close()} the mirror when the application stops.
 */
public final class Mirror implements AutoCloseable {

    /** The header every copy carries; a request that already has it is never mirrored again. */
    public static final String MIRROR_ID_HEADER = "X-Mirror-Id";

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final List<TargetRoute> routes;
    private final List<TargetLane> lanes;
    private final Predicate<MirrorRequest> condition;
    private final long maxBodySize;
    private final Duration drainTimeout;
    private final MirrorSink sink;
    private final ShadowIo io;
    private final InFlight inFlight;
    private final MeterRegistry meterRegistry;
    private final Object closeLock = new Object();
    private final int responseCaptureLimit;
    private final ComparisonEngine comparisons;
    /** Whether every target decides without looking at the request (no condition, random or counter sampling). */
    private final boolean decidesWithoutHead;
    /** {@link #decide}'s {@code sampledIn} when the targets are still to sample. */
    private static final long ALL_UNDECIDED = -1;
    private volatile boolean enabled = true;
    private volatile boolean closed;

    private Mirror(Builder builder) {
        this.maxBodySize = builder.maxBodySize;
        this.condition = builder.condition;
        this.drainTimeout = builder.drainTimeout;
        this.inFlight = new InFlight(builder.maxBufferedBytes);
        long byIo = builder.sink != null ? 0 : builder.targets.stream().filter(Mirror::travelsByShadowIo).count();
        // OkHttp starts no thread and opens no connection until a copy needs one.
        this.sink = builder.sink != null ? builder.sink
                : new HttpShadowSink(builder.connectTimeout, builder.timeout,
                        (int) (builder.maxConcurrent * (builder.targets.size() - byIo)), builder.responseCaptureLimit);
        this.io = byIo == 0 ? null : new ShadowIo(builder.connectTimeout, builder.timeout, builder.responseCaptureLimit);
        MeterRegistry registry = builder.meterRegistry;
        this.meterRegistry = registry;
        List<TargetRoute> built = new ArrayList<>();
        for (MirrorTarget target : builder.targets) {
            ShadowIo.Pool pool = io != null && travelsByShadowIo(target)
                    ? io.pool(target, builder.maxConcurrent, builder.queueCapacity) : null;
            TargetLane lane = new TargetLane(target, builder.maxConcurrent, builder.queueCapacity, sink, pool,
                    inFlight, new TargetMeters(registry, target.name()), builder.breaker);
            Sampling sampling = target.sampling().orElseGet(() -> Objects.requireNonNull(builder.sampling.get(), "sampling"));
            built.add(new TargetRoute(target, lane, sampling, target.percentage().orElse(builder.percentage),
                    builder.headers));
        }
        this.routes = List.copyOf(built);
        this.lanes = routes.stream().map(TargetRoute::lane).toList();
        this.decidesWithoutHead = condition == null && routes.size() < Long.SIZE
                && routes.stream().allMatch(TargetRoute::decidesWithoutHead);
        this.responseCaptureLimit = builder.responseCaptureLimit;
        List<MirrorTarget> comparing = builder.targets.stream().filter(MirrorTarget::compares).toList();
        this.comparisons = comparing.isEmpty() ? null : new ComparisonEngine(builder.compareOptions, registry, comparing);
        Gauge.builder("mirror.inflight", inFlight, InFlight::copies)
                .description("Copies accepted and not yet finished (queued or being sent)")
                .register(registry);
        Gauge.builder("mirror.buffered", inFlight, InFlight::bufferedBytes)
                .description("Body bytes held by copies waiting to be sent or being sent")
                .baseUnit("bytes")
                .register(registry);
        if (io != null) {
            io.start();
        }
    }

    /**
     * Whether the built-in client sends a target's copies from the shared non-blocking I/O thread:
     * plain HTTP that is not compared. TLS targets, and comparing targets (whose answers are compared
     * on the thread that received them), go through OkHttp on the lane's own threads.
     */
    private static boolean travelsByShadowIo(MirrorTarget target) {
        return target.url().regionMatches(true, 0, "http:", 0, 5) && !target.compares();
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
        submit(request, PendingMirror.UNKNOWN_STATUS);
    }

    /**
     * Mirrors a complete request (body included) that the primary answered with
     * {@code primaryStatus}, to the targets that take it. Never blocks and never throws.
     */
    public void submit(MirrorRequest request, int primaryStatus) {
        submit(request, primaryStatus, null);
    }

    /**
     * Mirrors a complete request, like {@link #submit(MirrorRequest, int)}, and compares the answers
     * of comparing targets with the primary's answer {@code primary}.
     *
     * @param primary what the primary answered (its status included); {@code null} when it was not captured
     */
    public void submit(MirrorRequest request, PrimaryResponse primary) {
        submit(request, primary == null ? PendingMirror.UNKNOWN_STATUS : primary.status(), primary);
    }

    private void submit(MirrorRequest request, int primaryStatus, PrimaryResponse primary) {
        PendingMirror pending = begin(request);
        if (pending != null) {
            if (primary != null) {
                pending.comparePrimary(() -> primary);
            }
            if (pending.needsBody() && request.bodyLength() > maxBodySize) {
                pending.skip(Reason.BODY_TOO_LARGE);
            } else {
                pending.send(request.bodyArray(), primaryStatus);
            }
        }
    }

    /**
     * Decides, from a request's head (its body is ignored), which targets take it: the loop guard,
     * the pause switch, whether it can be reproduced, the conditions and each target's sampling.
     * Skips are counted here.
     *
     * @return the pending mirror to complete with the body, or {@code null} when no target takes the
     *     request; then nothing more needs doing, not even reading the body
     */
    public PendingMirror begin(MirrorRequest head) {
        try {
            Reason refused = refusedBeforeLooking(head::header);
            if (refused != null) {
                countAll(refused);
                return null;
            }
            return decide(head, ALL_UNDECIDED);
        } catch (RuntimeException | LinkageError e) {
            log.warn("Mirror could not consider {}", head, e);
            countAll(Reason.ERROR);
            return null;
        }
    }

    /**
     * Like {@link #begin(MirrorRequest)}, for integrations that can read one header cheaply and
     * would rather not snapshot a whole head that no target takes: when every target samples at
     * random or by counter and nothing is conditional (the defaults), the targets sample first and
     * {@code head} is only asked for when one of them takes the request. A request no target samples
     * is then counted {@code sampled_out} without being looked at any further; only the loop guard,
     * the pause switch and shutdown come before.
     *
     * @param header the request's value of a header, by case-insensitive name, or {@code null}
     * @param head the request's head, asked for at most once
     */
    public PendingMirror begin(Function<String, String> header, Supplier<MirrorRequest> head) {
        if (!decidesWithoutHead) {
            MirrorRequest snapshot;
            try {
                snapshot = head.get();
            } catch (RuntimeException | LinkageError e) {
                log.warn("Mirror could not read a request's head", e);
                countAll(Reason.ERROR);
                return null;
            }
            return begin(snapshot);
        }
        try {
            Reason refused = refusedBeforeLooking(header);
            if (refused != null) {
                countAll(refused);
                return null;
            }
            long sampledIn = 0;
            for (int i = 0; i < routes.size(); i++) {
                if (routes.get(i).sampledWithoutHead()) {
                    sampledIn |= 1L << i;
                }
            }
            if (sampledIn == 0) {
                countAll(Reason.SAMPLED_OUT);
                return null;
            }
            return decide(head.get(), sampledIn);
        } catch (RuntimeException | LinkageError e) {
            log.warn("Mirror could not consider a request", e);
            countAll(Reason.ERROR);
            return null;
        }
    }

    /** Shutdown, the loop guard and the pause switch, which need at most one header. */
    private Reason refusedBeforeLooking(Function<String, String> header) {
        return closed ? Reason.SHUTDOWN
                : header.apply(MIRROR_ID_HEADER) != null ? Reason.LOOP
                : !enabled ? Reason.DISABLED
                : null;
    }

    /**
     * The rest of {@link #begin}: whether the request can be reproduced, the conditions, and each
     * target's sampling, unless already sampled (bit {@code i} of {@code sampledIn} for target {@code i}).
     */
    private PendingMirror decide(MirrorRequest head, long sampledIn) {
        MirrorRequest wire = onTheWire(head);
        if (wire == null) {
            countAll(Reason.INVALID_REQUEST);
            return null;
        }
        if (condition != null && !condition.test(wire)) {
            countAll(Reason.EXCLUDED);
            return null;
        }
        List<TargetRoute> chosen = null;
        for (int i = 0; i < routes.size(); i++) {
            TargetRoute route = routes.get(i);
            Reason refusal;
            try {
                refusal = sampledIn == ALL_UNDECIDED ? route.refusal(wire)
                        : (sampledIn & 1L << i) != 0 ? null : Reason.SAMPLED_OUT;
            } catch (RuntimeException e) {
                log.warn("Target '{}' could not consider {}", route.target().name(), wire, e);
                refusal = Reason.ERROR;
            }
            if (refusal == null) {
                if (chosen == null) {
                    chosen = new ArrayList<>(routes.size());
                }
                chosen.add(route);
            } else {
                route.count(refusal);
            }
        }
        return chosen == null ? null : new PendingMirror(this, wire, chosen, MirrorIds.of(wire));
    }

    /**
     * The head with its path and query spelled as they go on the wire, or {@code null} when the
     * request cannot be reproduced safely (see {@link WireSyntax}).
     */
    private static MirrorRequest onTheWire(MirrorRequest head) {
        String path = WireSyntax.path(head.path());
        String query = head.query() == null ? null : WireSyntax.query(head.query());
        if (path == null || (query == null && head.query() != null) || !WireSyntax.isToken(head.method())
                || !WireSyntax.areHeaders(head.headers())) {
            return null;
        }
        return head.withTarget(path, query);
    }

    /** The comparisons of one request, or {@code null} when no engine compares (none of the targets does). */
    ComparisonRound comparisonRound(MirrorRequest head, String id, PrimaryResponse primary, List<TargetRoute> chosen) {
        if (comparisons == null) {
            return null;
        }
        boolean awaitsControl = chosen.stream().anyMatch(route -> route.target().isControl());
        return new ComparisonRound(comparisons, head, id, primary, inFlight, awaitsControl);
    }

    /**
     * Hands the copies to the chosen targets' lanes. Every target is counted once, and a comparing
     * round is told of every copy that never reaches its shadow, so that no candidate waits for a
     * control that was refused.
     */
    void dispatch(MirrorRequest head, byte[] body, List<TargetRoute> chosen, String id, int primaryStatus,
            ComparisonRound round) {
        if (closed) {
            chosen.forEach(route -> refuse(route, Reason.SHUTDOWN, round, false));
            return;
        }
        // A paused or full target refuses before its copy is built: a dead shadow costs a check.
        List<TargetRoute> admitted = new ArrayList<>(chosen.size());
        boolean bodyNeeded = false;
        for (TargetRoute route : chosen) {
            if (!route.takesStatus(primaryStatus)) {
                refuse(route, Reason.PRIMARY_STATUS, round, false);
            } else if (route.lane().admit()) {
                admitted.add(route);
                bodyNeeded |= route.needsBody();
            } else {
                route.lane().unanswered(round);
            }
        }
        if (admitted.isEmpty()) {
            return;
        }
        // The primary's captured answer lives as long as the body: both count against the budget.
        long bytes = (bodyNeeded ? body.length : 0) + (round == null ? 0 : round.primaryBytes());
        if (!inFlight.tryReserve(bytes)) {
            admitted.forEach(route -> refuse(route, Reason.MEMORY_BUDGET, round, true));
            return;
        }
        InFlight.SharedBody shared = inFlight.new SharedBody(bytes, admitted.size());
        for (TargetRoute route : admitted) {
            MirrorRequest copy;
            try {
                copy = route.copy(head, body, id);
            } catch (RuntimeException | LinkageError e) {
                log.warn("Mirror could not make the copy of {} for target '{}'", head, route.target().name(), e);
                refuse(route, Reason.ERROR, round, true);
                shared.done();
                continue;
            }
            route.lane().dispatch(copy, shared, round);
        }
    }

    private static void refuse(TargetRoute route, Reason reason, ComparisonRound round, boolean admitted) {
        if (admitted) {
            route.lane().refuse(reason);
        } else {
            route.count(reason);
        }
        route.lane().unanswered(round);
    }

    private void countAll(Reason reason) {
        for (TargetLane lane : lanes) {
            lane.count(reason);
        }
    }

    /** What the mirror holds right now, for tests of its bounds. */
    InFlight inFlight() {
        return inFlight;
    }

    /** The targets, in the order configured. */
    public List<MirrorTarget> targets() {
        return routes.stream().map(TargetRoute::target).toList();
    }

    /**
     * Changes a target's percentage while running, whatever its sampling; the next request sees it.
     *
     * @param percent 0 to 100, decimals allowed
     * @throws IllegalArgumentException if there is no such target or the percentage is out of range
     */
    public void setPercentage(String target, double percent) {
        route(target).setPercentage(percent);
    }

    /**
     * A target's current percentage.
     *
     * @throws IllegalArgumentException if there is no such target
     */
    public double percentage(String target) {
        return route(target).percentage();
    }

    private TargetRoute route(String name) {
        for (TargetRoute route : routes) {
            if (route.target().name().equals(name)) {
                return route;
            }
        }
        throw new IllegalArgumentException("no target is named '" + name + "'; the targets are "
                + routes.stream().map(route -> "'" + route.target().name() + "'").toList());
    }

    /**
     * What each target has done so far, in the order configured: its current percentage, its
     * counts by reason (the numbers of {@code mirror.requests}, whatever the meter registry) and
     * its last few failures. A copy taken now; cheap enough to call on demand, not per request.
     */
    public List<TargetStats> stats() {
        return routes.stream().map(route -> route.lane().stats(route.percentage())).toList();
    }

    /** The most body bytes of an answer, the primary's or a shadow's, that are kept for comparing. */
    public int responseCaptureLimit() {
        return responseCaptureLimit;
    }

    /**
     * What the comparing targets' answers showed so far: per target counts, top differing fields,
     * latencies, recent mismatches and the noise a control revealed. Empty when no target compares.
     */
    public ComparisonSummary comparisons() {
        return comparisons == null ? ComparisonSummary.empty() : comparisons.summary();
    }

    /** Where this mirror's meters are registered; integrations register theirs there too. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** The largest request body that is mirrored, in bytes. */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** Pauses ({@code false}) or resumes mirroring; paused requests are counted as {@code disabled}. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether mirroring is on (not paused and not closed). */
    public boolean isEnabled() {
        return enabled && !closed;
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
            closeOnce(timeout);
        }
    }

    private void closeOnce(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!inFlight.awaitDrained(timeout)) {
                log.info("Mirror closing: {} copies still in flight after {}, cancelling them", inFlight.copies(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.forEach(TargetLane::markClosing);
        if (io != null) {
            io.close();
        }
        sink.close();
        lanes.forEach(TargetLane::close);
    }

    /** Configures a {@link Mirror}. Every setting has a default; only a target is required. */
    public static final class Builder {
        private final List<MirrorTarget> targets = new ArrayList<>();
        private double percentage = 100.0;
        private Supplier<? extends Sampling> sampling = Sampling::random;
        private Predicate<MirrorRequest> condition;
        private HeaderRules headers = HeaderRules.defaults();
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
        private MirrorSink sink;

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
         * Copies in flight to one target at the same time; default 16. For a plain {@code http://}
         * target that does not compare, its keep-alive connections on the mirror's I/O thread; for an
         * {@code https://} or comparing target, or with a {@link #sink sink} of your own, its sender
         * threads.
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

        /** Body bytes all waiting and in-flight copies may hold together; default 64 MiB. */
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

        /** Where the metrics go; default Micrometer's global registry. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
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
         * Replaces the built-in HTTP senders for every target, e.g. with a {@link RecordingSink} in
         * tests: the sink is called on each target's {@link #maxConcurrent} sender threads.
         */
        public Builder sink(MirrorSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Builds the mirror and starts its I/O thread when some target is sent by it; sender threads
         * start with the first copies of the targets that have them.
         *
         * @throws IllegalArgumentException if there is no target, two targets share a name, or more
         *     than one target is the control
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
            }
            return new Mirror(this);
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
