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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors requests to shadow targets without the primary request ever paying for it.
 *
 * <pre>{@code
 * Mirror mirror = Mirror.builder()
 *     .target("http://reviews-v2:9080")
 *     .percentage(100.0)
 *     .meterRegistry(registry)
 *     .build();
 * mirror.submit(request);   // never blocks, never throws
 * mirror.close();           // drains in-flight copies up to a deadline
 * }</pre>
 *
 * <p>Each target has its own bounded pool of senders and queue: when both are full the copy is
 * dropped and counted, never waited for. Every request a mirror sees is counted once per target in
 * {@code mirror.requests}, with the outcome and reason of that target's copy, so completed + failed
 * + dropped + skipped always adds up to the requests seen.
 *
 * <p>Integrations that read the body while the application runs use {@link #begin} and
 * {@link PendingMirror} instead of {@link #submit}, so that a request no target takes costs nothing.
 *
 * <p>Targets marked {@link MirrorTarget#compare} have their answers compared with the primary's, on
 * their mirror threads; {@link #comparisons()} summarizes the results.
 *
 * <p>A mirror starts non-daemon sender threads: {@link #close()} it when the application stops.
 */
public final class Mirror implements AutoCloseable {

    /** The header every copy carries; a request that already has it is never mirrored again. */
    public static final String MIRROR_ID_HEADER = "X-Mirror-Id";

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final List<TargetLane> lanes;
    private final long maxBodySize;
    private final Duration drainTimeout;
    private final MirrorSink sink;
    private final InFlight inFlight;
    private final int responseCaptureLimit;
    private final ComparisonEngine comparisons;
    private volatile boolean enabled = true;
    private volatile boolean closed;

    private Mirror(Builder builder) {
        this.maxBodySize = builder.maxBodySize;
        this.drainTimeout = builder.drainTimeout;
        this.inFlight = new InFlight(builder.maxBufferedBytes);
        this.responseCaptureLimit = builder.responseCaptureLimit;
        this.sink = builder.sink != null ? builder.sink
                : new HttpShadowSink(builder.connectTimeout, builder.timeout,
                        builder.maxConcurrent * builder.targets.size(), builder.responseCaptureLimit);
        MeterRegistry registry = builder.meterRegistry;
        List<TargetLane> built = new ArrayList<>();
        for (MirrorTarget target : builder.targets) {
            built.add(new TargetLane(target, target.percentage().orElse(builder.percentage), builder.maxConcurrent,
                    builder.queueCapacity, sink, inFlight, new TargetMeters(registry, target.name())));
        }
        this.lanes = List.copyOf(built);
        List<MirrorTarget> comparing = builder.targets.stream().filter(MirrorTarget::compares).toList();
        this.comparisons = comparing.isEmpty() ? null : new ComparisonEngine(builder.compareOptions, registry, comparing);
        Gauge.builder("mirror.inflight", inFlight, InFlight::copies)
                .description("Copies accepted and not yet finished (queued or being sent)")
                .register(registry);
        Gauge.builder("mirror.buffered", inFlight, InFlight::bufferedBytes)
                .description("Body bytes held by copies waiting to be sent or being sent")
                .baseUnit("bytes")
                .register(registry);
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
        submit(request, null);
    }

    /**
     * Mirrors a complete request, like {@link #submit(MirrorRequest)}, and compares the answers of
     * comparing targets with the primary's answer {@code primary}.
     *
     * @param primary what the primary answered; {@code null} when it was not captured
     */
    public void submit(MirrorRequest request, PrimaryResponse primary) {
        PendingMirror pending = begin(request);
        if (pending != null) {
            if (primary != null) {
                pending.comparePrimary(() -> primary);
            }
            if (request.bodyLength() > maxBodySize) {
                pending.skip(Reason.BODY_TOO_LARGE);
            } else {
                pending.send(request.bodyArray());
            }
        }
    }

    /**
     * Decides, from a request's head (its body is ignored), which targets take it: the loop guard,
     * the pause switch and each target's sampling. Skips are counted here.
     *
     * @return the pending mirror to complete with the body, or {@code null} when no target takes the
     *     request; then nothing more needs doing, not even reading the body
     */
    public PendingMirror begin(MirrorRequest head) {
        try {
            Reason refused = closed ? Reason.SHUTDOWN
                    : head.header(MIRROR_ID_HEADER) != null ? Reason.LOOP
                    : !enabled ? Reason.DISABLED
                    : null;
            if (refused != null) {
                countAll(refused);
                return null;
            }
            List<TargetLane> chosen = null;
            for (TargetLane lane : lanes) {
                if (lane.sample()) {
                    if (chosen == null) {
                        chosen = new ArrayList<>(lanes.size());
                    }
                    chosen.add(lane);
                } else {
                    lane.count(Reason.SAMPLED_OUT);
                }
            }
            return chosen == null ? null : new PendingMirror(this, head, chosen, MirrorIds.of(head));
        } catch (RuntimeException e) {
            log.warn("Mirror could not consider {}", head, e);
            countAll(Reason.ERROR);
            return null;
        }
    }

    /** The comparisons of one request, or {@code null} when no engine compares (none of the targets does). */
    ComparisonRound comparisonRound(MirrorRequest head, String id, PrimaryResponse primary, List<TargetLane> chosen) {
        if (comparisons == null) {
            return null;
        }
        boolean awaitsControl = chosen.stream().anyMatch(lane -> lane.target().isControl());
        return new ComparisonRound(comparisons, head, id, primary, inFlight, awaitsControl);
    }

    void dispatch(MirrorRequest head, byte[] body, List<TargetLane> chosen, String id, ComparisonRound round) {
        try {
            if (closed) {
                chosen.forEach(lane -> lane.count(Reason.SHUTDOWN));
                return;
            }
            // The primary's captured answer lives as long as the body: both count against the budget.
            long held = body.length + (round == null ? 0 : round.primaryBytes());
            if (!inFlight.tryReserve(held)) {
                chosen.forEach(lane -> lane.count(Reason.MEMORY_BUDGET));
                return;
            }
            MirrorRequest copy = head.withBody(body).withHeaders(ShadowHeaders.of(head, id));
            InFlight.SharedBody shared = inFlight.new SharedBody(held, chosen.size());
            for (TargetLane lane : chosen) {
                lane.dispatch(copy, shared, round);
            }
        } catch (RuntimeException e) {
            log.warn("Mirror could not dispatch {}", head, e);
            chosen.forEach(lane -> lane.count(Reason.ERROR));
        }
    }

    private void countAll(Reason reason) {
        for (TargetLane lane : lanes) {
            lane.count(reason);
        }
    }

    /** The targets, in the order configured. */
    public List<MirrorTarget> targets() {
        return lanes.stream().map(TargetLane::target).toList();
    }

    /** The largest request body that is mirrored, in bytes. */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** How many body bytes of an answer, the primary's or a shadow's, are captured for comparison. */
    public int responseCaptureLimit() {
        return responseCaptureLimit;
    }

    /**
     * What the comparisons of the comparing targets say so far: per target, results, top differing
     * fields and latency percentiles; the recent mismatches; the noise. Empty when no target compares.
     */
    public ComparisonSummary comparisons() {
        return comparisons == null ? ComparisonSummary.empty() : comparisons.summary();
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
     * what is left (counted as {@code shutdown}) and stops every sender thread. Idempotent.
     */
    public void close(Duration timeout) {
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
        sink.close();
        lanes.forEach(TargetLane::close);
    }

    /** Configures a {@link Mirror}. Every setting has a default; only a target is required. */
    public static final class Builder {
        private final List<MirrorTarget> targets = new ArrayList<>();
        private double percentage = 100.0;
        private long maxBodySize = 1 << 20;
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(5);
        private int maxConcurrent = 16;
        private int queueCapacity = 1000;
        private long maxBufferedBytes = 64L << 20;
        private int responseCaptureLimit = 64 << 10;
        private Duration drainTimeout = Duration.ofSeconds(5);
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private MirrorSink sink;
        private CompareOptions compareOptions = CompareOptions.defaults();

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

        /** Requests with a larger body are not mirrored ({@code body_too_large}); default 1 MiB. */
        public Builder maxBodySize(long bytes) {
            this.maxBodySize = requireAtLeast(bytes, 0, "maxBodySize");
            return this;
        }

        /** How long a copy may take to connect; default 1 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = requirePositive(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a whole copy may take, connecting to answer; default 5 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = requirePositive(timeout, "timeout");
            return this;
        }

        /** Copies sent to one target at the same time (its sender threads); default 16. */
        public Builder maxConcurrent(int maxConcurrent) {
            this.maxConcurrent = (int) requireAtLeast(maxConcurrent, 1, "maxConcurrent");
            return this;
        }

        /** Copies that may wait for a sender, per target; 0 for none; default 1000. */
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

        /** Replaces the HTTP sender, e.g. with a {@link RecordingSink} in tests. */
        public Builder sink(MirrorSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Builds the mirror and starts its senders.
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
