package dev.trafficmirror.core;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's circuit breaker: after {@code failures} consecutive failed copies the target is
 * paused for {@code coolDown} (copies are skipped as {@code circuit_open}); then one copy goes
 * through as a probe, and its result closes the breaker again or starts another cool-down.
 *
 * <p>A resilience4j count-based window of {@code failures} calls that opens at a 100 % failure
 * rate is exactly "the last {@code failures} copies all failed". Open to half-open happens on the
 * first copy after the cool-down rather than on a timer, so the breaker owns no thread. State
 * changes are logged here once each (never per copy), without resilience4j's per-call events.
 */
final class TargetBreaker {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final String target;
    private final CircuitBreaker breaker;
    private final int failures;
    private final Duration coolDown;
    private final AtomicReference<CircuitBreaker.State> reported;

    private TargetBreaker(String target, CircuitBreaker breaker, int failures, Duration coolDown) {
        this.target = target;
        this.breaker = breaker;
        this.failures = failures;
        this.coolDown = coolDown;
        this.reported = new AtomicReference<>(breaker.getState());
    }

    /** A breaker that opens after {@code failures} consecutive failures, for {@code coolDown}. */
    static TargetBreaker of(String target, Settings settings) {
        if (!settings.enabled()) {
            CircuitBreaker disabled = CircuitBreaker.of("trafficmirror-" + target, CircuitBreakerConfig.ofDefaults());
            disabled.transitionToDisabledState();
            return new TargetBreaker(target, disabled, 0, Duration.ZERO);
        }
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(settings.failures(), settings.failures(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                // Slowness is the timeout's business: a copy that answers in time is a success.
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .waitDurationInOpenState(settings.coolDown())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build();
        return new TargetBreaker(target, CircuitBreaker.of("trafficmirror-" + target, config),
                settings.failures(), settings.coolDown());
    }

    /**
     * Whether a copy may be sent now. In the half-open state this takes the single probe permit:
     * a copy that got it and is then not sent must give it back with {@link #release}.
     */
    boolean tryAcquire() {
        return breaker.tryAcquirePermission();
    }

    /** Gives back a permit taken by {@link #tryAcquire} for a copy that was not sent after all. */
    void release() {
        breaker.releasePermission();
    }

    /**
     * Whether the target is paused right now; copies that were queued before it opened are skipped
     * instead of being sent into a target known to be failing.
     */
    boolean isOpen() {
        CircuitBreaker.State state = breaker.getState();
        return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
    }

    /** The shadow answered, whatever the status: a 5xx is an answer, not a failure. */
    void answered(long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        reportTransition();
    }

    /** The copy failed because of the target (timeout, connect, TLS, I/O, sink error). */
    void failed(long nanos, Throwable failure) {
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        reportTransition();
    }

    private void reportTransition() {
        CircuitBreaker.State now = breaker.getState();
        CircuitBreaker.State before = reported.get();
        if (now == before || !reported.compareAndSet(before, now)) {
            return;
        }
        // A failed probe (open again) is not reported: the failure log already says the target fails.
        if (now == CircuitBreaker.State.OPEN && before == CircuitBreaker.State.CLOSED) {
            log.warn("Mirror to target '{}' paused for {} after {} consecutive failures (counted as circuit_open);"
                    + " then one copy probes it, every {} until one is answered", target, coolDown, failures, coolDown);
        } else if (now == CircuitBreaker.State.CLOSED) {
            log.info("Mirror to target '{}' resumed: the probe was answered", target);
        }
    }

    /** How a target's breaker is configured: off, or opening after consecutive failures for a cool-down. */
    record Settings(int failures, Duration coolDown) {

        /** No breaker: every copy is attempted whatever happened to the previous ones. */
        static final Settings OFF = new Settings(0, Duration.ZERO);

        /** The default: pause for 10 s after 10 consecutive failures. */
        static final Settings DEFAULT = new Settings(10, Duration.ofSeconds(10));

        boolean enabled() {
            return failures > 0;
        }
    }
}
