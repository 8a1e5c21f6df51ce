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
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's own path: its sampling, its bounded pool of senders (a resilience4j thread-pool
 * bulkhead, so a dead target cannot starve a healthy one) and its meters.
 */
final class TargetLane {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final MirrorTarget target;
    private final double percentage;
    private final MirrorSink sink;
    private final InFlight inFlight;
    private final TargetMeters meters;
    private final ThreadPoolBulkhead senders;
    private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());
    private final AtomicLong unloggedFailures = new AtomicLong();
    private volatile boolean closing;

    TargetLane(MirrorTarget target, double percentage, int maxConcurrent, int queueCapacity, MirrorSink sink,
            InFlight inFlight, TargetMeters meters) {
        this.target = target;
        this.percentage = percentage;
        this.sink = sink;
        this.inFlight = inFlight;
        this.meters = meters;
        this.senders = ThreadPoolBulkhead.of("trafficmirror-" + target.name(), ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(maxConcurrent)
                .maxThreadPoolSize(maxConcurrent)
                .queueCapacity(queueCapacity)
                .writableStackTraceEnabled(false)
                .build());
    }

    MirrorTarget target() {
        return target;
    }

    boolean sample() {
        return percentage >= 100.0 || (percentage > 0.0 && ThreadLocalRandom.current().nextDouble(100.0) < percentage);
    }

    void count(Reason reason) {
        meters.count(reason);
    }

    /**
     * Queues a copy; never blocks: a full lane drops it and counts {@code queue_full}.
     *
     * @param round the request's comparisons, told how this copy settles; {@code null} when none
     */
    void dispatch(MirrorRequest copy, InFlight.SharedBody body, ComparisonRound round) {
        if (closing) {
            meters.count(Reason.SHUTDOWN);
            unanswered(round);
            body.done();
            return;
        }
        inFlight.copyStarted();
        try {
            senders.submit(() -> send(copy, body, round));
        } catch (BulkheadFullException | IllegalStateException full) {
            // IllegalStateException: the pool was shut down between the check above and here.
            meters.count(full instanceof BulkheadFullException ? Reason.QUEUE_FULL : Reason.SHUTDOWN);
            unanswered(round);
            body.done();
            inFlight.copyFinished();
        }
    }

    private void unanswered(ComparisonRound round) {
        if (round != null) {
            round.settled(target, null, 0);
        }
    }

    private void send(MirrorRequest copy, InFlight.SharedBody body, ComparisonRound round) {
        long start = System.nanoTime();
        ShadowResponse response = null;
        long nanos = 0;
        try {
            response = sink.send(target, copy);
            nanos = System.nanoTime() - start;
            meters.answered(response.status(), nanos);
        } catch (Throwable failure) {
            Reason reason = closing ? Reason.SHUTDOWN : classify(failure);
            meters.count(reason);
            logRateLimited(reason, failure);
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
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

    /** At most one line per target per interval, saying how many failures it stands for. */
    private void logRateLimited(Reason reason, Throwable failure) {
        long failures = unloggedFailures.incrementAndGet();
        long now = System.nanoTime();
        long due = nextLogAt.get();
        if (now - due >= 0 && nextLogAt.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
            unloggedFailures.addAndGet(-failures);
            log.warn("Mirror to target '{}' failed ({}): {}; {} failure(s) since the last report",
                    target.name(), reason.tag(), failure.toString(), failures);
        }
    }

    /** Stops taking copies; queued ones still run (and fail fast once the sink is closed). */
    void close() {
        closing = true;
        try {
            senders.close();
        } catch (Exception e) {
            log.debug("Closing the senders of target '{}' failed", target.name(), e);
        }
    }

    void markClosing() {
        closing = true;
    }
}
