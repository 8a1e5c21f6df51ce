package dev.trafficmirror.core;

import dev.trafficmirror.core.http.ShadowIo;
import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordedExchange;
import dev.trafficmirror.core.record.Recorder;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.micrometer.observation.Observation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's own path: its circuit breaker, its bounded way to the shadow (its own queue and
 * connections on the shared {@link ShadowIo} thread, or for a sink of the application's own a
 * resilience4j thread-pool bulkhead; either way a dead target cannot starve a healthy one), its
 * failure log, its recent failures, its meters and the observations of its copies, if any. Every copy handed to it is counted exactly once, whatever happens.
 * Which requests it gets is decided by its {@link TargetRoute}.
 *
 * <p>A recording target's lane has a bulkhead of one writer thread of its own, which redacts,
 * encodes and hands each record to its {@link Recorder} in order; the record is counted when the
 * recorder says how it ended, which for Kafka may be later, on the producer's thread.
 */
final class TargetLane {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final MirrorTarget target;
    private final RecentFailures recentFailures = new RecentFailures();
    private final MirrorSink sink;
    private final InFlight inFlight;
    private final TargetMeters meters;
    /** {@code null} when the mirror observes nothing. */
    private final CopyObservations observations;
    private final TargetBreaker breaker;
    private final FailureLog failures;
    private final int queueCapacity;
    private final ThreadPoolBulkhead senders;
    private final ShadowIo.Pool pool;
    private final Recorder recorder;
    private final Redactor redactor;
    private volatile boolean closing;

    /**
     * @param pool where the copies go when they travel by {@link ShadowIo}; {@code null} to send them
     *     through {@code sink} on the lane's own {@code maxConcurrent} threads
     * @param observations the observations of the copies, or {@code null} to observe none
     */
    TargetLane(MirrorTarget target, int maxConcurrent, int queueCapacity, MirrorSink sink, ShadowIo.Pool pool,
            InFlight inFlight, TargetMeters meters, TargetBreaker.Settings breaker, CopyObservations observations) {
        this(target, maxConcurrent, queueCapacity, sink, pool, null, null, inFlight, meters, breaker, observations);
    }

    /**
     * A recording target's lane: its records go to {@code recorder}, after {@code redaction}, from one
     * writer thread. A record is no copy sent to a shadow: it is not observed.
     */
    TargetLane(MirrorTarget target, int queueCapacity, Recorder recorder, Redaction redaction, InFlight inFlight,
            TargetMeters meters, TargetBreaker.Settings breaker) {
        this(target, 1, queueCapacity, null, null, recorder, new Redactor(redaction), inFlight, meters, breaker, null);
    }

    private TargetLane(MirrorTarget target, int maxConcurrent, int queueCapacity, MirrorSink sink, ShadowIo.Pool pool,
            Recorder recorder, Redactor redactor, InFlight inFlight, TargetMeters meters, TargetBreaker.Settings breaker,
            CopyObservations observations) {
        this.target = target;
        this.sink = sink;
        this.pool = pool;
        this.recorder = recorder;
        this.redactor = redactor;
        this.inFlight = inFlight;
        this.meters = meters;
        this.observations = observations;
        this.breaker = TargetBreaker.of(target.name(), breaker);
        this.failures = new FailureLog(target.name(), FailureLog.DEFAULT_INTERVAL, System::nanoTime, log::warn);
        this.queueCapacity = queueCapacity;
        this.senders = pool != null ? null : ThreadPoolBulkhead.of("trafficmirror-" + target.name(),
                ThreadPoolBulkheadConfig.custom()
                        .coreThreadPoolSize(maxConcurrent)
                        .maxThreadPoolSize(maxConcurrent)
                        .queueCapacity(queueCapacity)
                        .writableStackTraceEnabled(false)
                        .rejectedExecutionHandler(Full.REJECT)
                        .build());
    }

    MirrorTarget target() {
        return target;
    }

    /** What this target has done so far, with the percentage its route samples at now. */
    TargetStats stats(double percentage) {
        return new TargetStats(target, percentage, meters.counts(), recentFailures.newestFirst());
    }

    void count(Reason reason) {
        meters.count(reason);
    }

    /**
     * Whether this lane takes a copy now; never blocks. A closing mirror ({@code shutdown}), a
     * paused target ({@code circuit_open}) and a full lane ({@code queue_full}) do not, and the
     * refusal is counted here, before anything is spent on building the copy. An admitted copy
     * must then be {@link #dispatch dispatched} or {@link #refuse refused}.
     */
    boolean admit() {
        Reason refused = closing ? Reason.SHUTDOWN
                : !breaker.tryAcquire() ? Reason.CIRCUIT_OPEN
                : full() ? Reason.QUEUE_FULL
                : null;
        if (refused == Reason.QUEUE_FULL) {
            breaker.release();
        }
        if (refused != null) {
            meters.count(refused);
        }
        return refused == null;
    }

    /** Counts an admitted copy that will not be sent after all (the memory budget was full). */
    void refuse(Reason reason) {
        breaker.release();
        meters.count(reason);
    }

    /**
     * Queues an admitted copy; never blocks and never throws: a lane that filled up since drops it
     * ({@code queue_full}).
     *
     * @param round the request's comparisons, told how this copy settles; {@code null} when none
     * @param primary the primary's captured answer, for a recording target; {@code null} when not captured
     */
    void dispatch(MirrorRequest copy, InFlight.SharedBody body, ComparisonRound round, PrimaryResponse primary) {
        inFlight.copyStarted();
        Reason refused;
        try {
            if (recorder != null) {
                long dispatchedAt = System.currentTimeMillis();
                senders.submit(() -> record(copy, primary, dispatchedAt, body, round));
                return;
            }
            Observation parent = observations == null ? null : observations.parent();
            if (pool == null) {
                senders.submit(() -> send(copy, body, round, parent));
                return;
            }
            if (pool.offer(new Queued(copy, body, round, parent))) {
                return;
            }
            refused = Reason.QUEUE_FULL;
        } catch (RuntimeException rejected) {
            refused = rejected instanceof BulkheadFullException ? Reason.QUEUE_FULL : Reason.ERROR;
        }
        // A lane shut down by close() also rejects; that copy is a shutdown, not a full queue.
        breaker.release();
        meters.count(closing ? Reason.SHUTDOWN : refused);
        unanswered(round);
        body.done();
        inFlight.copyFinished();
    }

    private boolean full() {
        return pool != null ? !pool.hasRoom()
                // Seen full before submitting: no exception is made for the commonest way to drop.
                : queueCapacity > 0 && senders.getMetrics().getRemainingQueueCapacity() == 0;
    }

    /** A copy that never reached the shadow: candidates waiting for this (control) target go on. */
    void unanswered(ComparisonRound round) {
        if (round != null) {
            round.settled(target, null, 0, () -> { });
        }
    }

    /** Sends one copy through the sink, on one of the lane's threads. */
    private void send(MirrorRequest copy, InFlight.SharedBody body, ComparisonRound round, Observation parent) {
        ShadowResponse response = null;
        long nanos = 0;
        try {
            if (stillWanted()) {
                Observation observation = observe(copy, parent);
                long start = System.nanoTime();
                try {
                    response = sink.send(target, copy);
                    nanos = System.nanoTime() - start;
                    answered(response, nanos);
                    CopyObservations.answered(observation, response.status());
                } catch (Throwable failure) {
                    response = null;
                    nanos = System.nanoTime() - start;
                    CopyObservations.failed(observation, failed(copy, failure, nanos), failure);
                    if (failure instanceof VirtualMachineError fatal) {
                        throw fatal;
                    }
                }
            }
        } finally {
            finish(round, body, response, nanos);
        }
    }

    /**
     * Records one exchange, on the lane's writer thread: redacted, encoded, handed to the recorder.
     * Its memory is given back once the recorder has the record's bytes; it is counted when the
     * recorder says how it ended.
     *
     * @param dispatchedAt when the primary's answer was handed over, in epoch milliseconds
     */
    private void record(MirrorRequest copy, PrimaryResponse primary, long dispatchedAt, InFlight.SharedBody body,
            ComparisonRound round) {
        try {
            if (stillWanted()) {
                Settle settle = new Settle(copy);
                try {
                    Instant receivedAt = Instant.ofEpochMilli(dispatchedAt)
                            .minus(primary == null ? Duration.ZERO : primary.latency());
                    RecordedExchange exchange = redactor.apply(new RecordedExchange(
                            copy.header(Mirror.MIRROR_ID_HEADER), receivedAt, copy, primary, Redaction.none()));
                    recorder.write(exchange, RecordFormat.encode(exchange), settle);
                } catch (Throwable failure) {
                    settle.notWritten(classify(failure), failure);
                    if (failure instanceof VirtualMachineError fatal) {
                        throw fatal;
                    }
                }
                if (senders.getMetrics().getQueueDepth() == 0) {
                    recorder.flush();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Target '{}' could not flush its recorder", target.name(), e);
        } finally {
            finish(round, body, null, 0);
        }
    }

    /** Tells the lane, once, how a record ended: counted, and the breaker told. */
    private final class Settle implements Recorder.Written {
        private final MirrorRequest copy;
        private final long start = System.nanoTime();
        private final AtomicBoolean told = new AtomicBoolean();

        Settle(MirrorRequest copy) {
            this.copy = copy;
        }

        @Override
        public void written() {
            if (told.compareAndSet(false, true)) {
                breaker.answered(System.nanoTime() - start);
                meters.count(Reason.NONE);
            }
        }

        @Override
        public void notWritten(Reason reason, Throwable cause) {
            if (!told.compareAndSet(false, true)) {
                return;
            }
            Reason counted = closing && reason.outcome() != Outcome.DROPPED ? Reason.SHUTDOWN
                    : reason == null || reason == Reason.NONE || reason.outcome() == Outcome.SKIPPED ? Reason.ERROR
                    : reason;
            Throwable failure = cause != null ? cause : new IOException("not written: " + counted.tag());
            if (counted.outcome() == Outcome.FAILED) {
                breaker.failed(System.nanoTime() - start, failure);
                recentFailures.add(new MirrorFailure(Instant.now(), counted, copy.header(Mirror.MIRROR_ID_HEADER),
                        copy.method(), copy.path(), failure.toString()));
            } else {
                breaker.release();
            }
            meters.count(counted);
            failures.failed(counted, failure);
        }
    }

    /**
     * Whether a queued copy is still to be sent when its turn comes; if not, it is counted here: a
     * closing mirror ({@code shutdown}) or a target paused since it was queued ({@code circuit_open}).
     */
    private boolean stillWanted() {
        if (closing) {
            breaker.release();
            meters.count(Reason.SHUTDOWN);
            return false;
        }
        if (breaker.isOpen()) {
            meters.count(Reason.CIRCUIT_OPEN);
            return false;
        }
        return true;
    }

    // The breaker learns of each result before it is counted: whoever sees the count sees the breaker's state.
    private void answered(ShadowResponse response, long nanos) {
        breaker.answered(nanos);
        meters.answered(response.status(), nanos);
    }

    /** The started observation of a copy whose turn came, or {@code null} when the mirror observes nothing. */
    private Observation observe(MirrorRequest copy, Observation parent) {
        return observations == null ? null : observations.start(target.name(), copy, parent);
    }

    /** Counts, logs and tells the breaker of a copy that got no answer; the reason it is counted under. */
    private Reason failed(MirrorRequest copy, Throwable failure, long nanos) {
        Reason reason = closing ? Reason.SHUTDOWN : classify(failure);
        if (reason.outcome() == Outcome.FAILED) {
            breaker.failed(nanos, failure);
        } else {
            // Neither the target's success nor its failure (shutdown, a request we cannot replay).
            breaker.release();
        }
        meters.count(reason);
        if (reason.outcome() == Outcome.FAILED) {
            recentFailures.add(new MirrorFailure(Instant.now(), reason, copy.header(Mirror.MIRROR_ID_HEADER),
                    copy.method(), copy.path(), failure.toString()));
        }
        failures.failed(reason, failure);
        return reason;
    }

    /**
     * The copy is done with, sent or not: comparisons told; its body's memory and its place in flight
     * given back once its comparison, if any, is done (off this thread).
     */
    private void finish(ComparisonRound round, InFlight.SharedBody body, ShadowResponse response, long nanos) {
        Runnable release = () -> {
            body.done();
            inFlight.copyFinished();
        };
        if (round == null) {
            release.run();
            return;
        }
        round.settled(target, response, nanos, release);
    }

    /** A copy on its way through {@link ShadowIo}, settled by its I/O thread. */
    private final class Queued implements ShadowIo.Delivery {
        private final MirrorRequest copy;
        private final InFlight.SharedBody body;
        private final ComparisonRound round;
        private final Observation parent;
        /** Started when the copy's turn comes, on the I/O thread; volatile, as closing may settle it elsewhere. */
        private volatile Observation observation;

        Queued(MirrorRequest copy, InFlight.SharedBody body, ComparisonRound round, Observation parent) {
            this.copy = copy;
            this.body = body;
            this.round = round;
            this.parent = parent;
        }

        @Override
        public MirrorRequest request() {
            return copy;
        }

        @Override
        public boolean stillWanted() {
            if (TargetLane.this.stillWanted()) {
                observation = observe(copy, parent);
                return true;
            }
            finish(round, body, null, 0);
            return false;
        }

        @Override
        public void answered(ShadowResponse response, long nanos) {
            try {
                TargetLane.this.answered(response, nanos);
                CopyObservations.answered(observation, response.status());
            } finally {
                finish(round, body, response, nanos);
            }
        }

        @Override
        public void failed(Throwable failure, long nanos) {
            try {
                CopyObservations.failed(observation, TargetLane.this.failed(copy, failure, nanos), failure);
            } finally {
                finish(round, body, null, nanos);
            }
        }
    }

    static Reason classify(Throwable failure) {
        if (failure instanceof ConnectException || failure instanceof UnknownHostException
                || failure instanceof NoRouteToHostException) {
            return Reason.CONNECT;
        }
        if (failure instanceof SocketTimeoutException) {
            String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
            return message.contains("connect") ? Reason.CONNECT : Reason.TIMEOUT;
        }
        if (failure instanceof InterruptedIOException) {
            return Reason.TIMEOUT;
        }
        if (failure instanceof SSLException) {
            return Reason.TLS;
        }
        if (failure instanceof IOException) {
            return Reason.IO;
        }
        if (failure instanceof IllegalArgumentException) {
            return Reason.INVALID_REQUEST;
        }
        return Reason.ERROR;
    }

    /**
     * Stops taking copies and stops the senders: queued copies are counted as {@code shutdown}
     * without being sent, and what the sink still holds fails fast once it is closed. A recorder
     * writes out what it holds, for up to {@code timeout}, and is closed.
     */
    void close(Duration timeout) {
        closing = true;
        try {
            if (senders != null) {
                senders.close();
            }
        } catch (Exception e) {
            log.debug("Closing the senders of target '{}' failed", target.name(), e);
        }
        if (recorder != null) {
            try {
                recorder.close(timeout);
            } catch (RuntimeException e) {
                log.warn("Target '{}' could not close its recorder", target.name(), e);
            }
        }
        failures.flush();
    }

    void markClosing() {
        closing = true;
    }

    /**
     * Rejects without a stack trace and without ThreadPoolExecutor's default message, which walks
     * the pool under its lock: a dead target makes this the hot path.
     */
    private static final class Full extends RejectedExecutionException {
        private static final long serialVersionUID = 1L;
        static final RejectedExecutionHandler REJECT = (task, executor) -> {
            throw new Full();
        };

        private Full() {
            super("the mirror lane is full", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
