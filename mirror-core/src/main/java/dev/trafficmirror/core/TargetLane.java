package dev.trafficmirror.core;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's own path: its circuit breaker, its bounded pool of senders (a resilience4j
 * thread-pool bulkhead, so a dead target cannot starve a healthy one), its failure log, its recent
 * failures and its meters. Every copy handed to it is counted exactly once, whatever happens.
 * Which requests it gets is decided by its {@link TargetRoute}.
 */
final class TargetLane {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final MirrorTarget target;
    private final RecentFailures recentFailures = new RecentFailures();
    private final MirrorSink sink;
    private final InFlight inFlight;
    private final TargetMeters meters;
    private final TargetBreaker breaker;
    private final FailureLog failures;
    private final int queueCapacity;
    private final ThreadPoolBulkhead senders;
    private volatile boolean closing;

    TargetLane(MirrorTarget target, int maxConcurrent, int queueCapacity, MirrorSink sink,
            InFlight inFlight, TargetMeters meters, TargetBreaker.Settings breaker) {
        this.target = target;
        this.sink = sink;
        this.inFlight = inFlight;
        this.meters = meters;
        this.breaker = TargetBreaker.of(target.name(), breaker);
        this.failures = new FailureLog(target.name(), FailureLog.DEFAULT_INTERVAL, System::nanoTime, log::warn);
        this.queueCapacity = queueCapacity;
        this.senders = ThreadPoolBulkhead.of("trafficmirror-" + target.name(), ThreadPoolBulkheadConfig.custom()
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
                // Seen full before submitting: no exception is made for the commonest way to drop.
                : queueCapacity > 0 && senders.getMetrics().getRemainingQueueCapacity() == 0 ? Reason.QUEUE_FULL
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
     */
    void dispatch(MirrorRequest copy, InFlight.SharedBody body, ComparisonRound round) {
        inFlight.copyStarted();
        try {
            senders.submit(() -> send(copy, body, round));
        } catch (RuntimeException rejected) {
            // A pool shut down by close() also rejects; that copy is a shutdown, not a full queue.
            breaker.release();
            meters.count(closing ? Reason.SHUTDOWN
                    : rejected instanceof BulkheadFullException ? Reason.QUEUE_FULL : Reason.ERROR);
            unanswered(round);
            body.done();
            inFlight.copyFinished();
        }
    }

    /** A copy that never reached the shadow: candidates waiting for this (control) target go on. */
    void unanswered(ComparisonRound round) {
        if (round != null) {
            round.settled(target, null, 0);
        }
    }

    private void send(MirrorRequest copy, InFlight.SharedBody body, ComparisonRound round) {
        ShadowResponse response = null;
        long nanos = 0;
        long start = System.nanoTime();
        try {
            if (closing) {
                breaker.release();
                meters.count(Reason.SHUTDOWN);
            } else if (breaker.isOpen()) {
                // Queued before the target was paused: not worth a sender's time any more.
                meters.count(Reason.CIRCUIT_OPEN);
            } else {
                response = deliver(copy);
                nanos = System.nanoTime() - start;
            }
        } finally {
            // Compared here, on this mirror thread, while the copy still counts as in flight.
            if (round != null) {
                round.settled(target, response, nanos);
            }
            body.done();
            inFlight.copyFinished();
        }
    }

    /** Sends one copy; its answer, or {@code null} when it failed (counted, logged, told to the breaker). */
    private ShadowResponse deliver(MirrorRequest copy) {
        // The breaker learns of each result before it is counted: whoever sees the count sees the breaker's state.
        long start = System.nanoTime();
        try {
            ShadowResponse response = sink.send(target, copy);
            long took = System.nanoTime() - start;
            breaker.answered(took);
            meters.answered(response.status(), took);
            return response;
        } catch (Throwable failure) {
            Reason reason = closing ? Reason.SHUTDOWN : classify(failure);
            if (reason.outcome() == Outcome.FAILED) {
                breaker.failed(System.nanoTime() - start, failure);
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
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return null;
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
     * without being sent, and what the sink still holds fails fast once it is closed.
     */
    void close() {
        closing = true;
        try {
            senders.close();
        } catch (Exception e) {
            log.debug("Closing the senders of target '{}' failed", target.name(), e);
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
