package dev.trafficmirror.core;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mirror.copy} Observation of each copy that goes out to its shadow, for a mirror given
 * an {@link ObservationRegistry} ({@link Mirror.Builder#observationRegistry}). A mirror without one
 * (or with {@link ObservationRegistry#NOOP}) has none of these: its lanes hold {@code null}, and
 * observing costs them a null check.
 *
 * <p>An observation starts on the mirror's own thread when the copy's turn comes (the I/O thread,
 * or the target's sender thread for a sink of the application's) and stops when the copy settles,
 * so the request thread does no work for it, except, when the trace context is
 * {@link TracePropagation#PROPAGATE propagated}, reading its current observation to be the parent.
 * Otherwise the copy's observation has no parent: with Micrometer Tracing its span starts a trace of
 * its own instead of landing in the production request's trace. Copies that never go out (dropped
 * or skipped before their turn) are not observed; {@code mirror.requests} counts them.
 *
 * <p>Nothing here throws: a failing observation handler is logged and the copy goes on.
 */
final class CopyObservations {

    static final String NAME = "mirror.copy";

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final ObservationRegistry registry;
    private final String mirror;
    private final boolean childOfRequest;

    private CopyObservations(ObservationRegistry registry, String mirror, boolean childOfRequest) {
        this.registry = registry;
        this.mirror = mirror;
        this.childOfRequest = childOfRequest;
    }

    /** The observations of a mirror's copies, or {@code null} when there is no registry to observe them in. */
    static CopyObservations of(ObservationRegistry registry, String mirror, TracePropagation trace) {
        return registry == null || registry.isNoop() ? null
                : new CopyObservations(registry, mirror, trace == TracePropagation.PROPAGATE);
    }

    /**
     * On the request thread: the observation a copy's is to be a child of, the request's current one
     * when the trace context is propagated, else {@code null} (none is read).
     */
    Observation parent() {
        return childOfRequest ? registry.getCurrentObservation() : null;
    }

    /**
     * Starts the observation of {@code copy}, on the mirror's thread that sends it.
     *
     * @return the started observation, or {@code null} if a handler failed
     */
    Observation start(String target, MirrorRequest copy, Observation parent) {
        try {
            // createNotStarted takes this thread's current observation as the parent; the parent is set
            // here, always, so that only the trace setting decides it.
            return Observation.createNotStarted(NAME, registry)
                    .parentObservation(parent)
                    .lowCardinalityKeyValue("mirror", mirror)
                    .lowCardinalityKeyValue("target", target)
                    .highCardinalityKeyValue("mirror.id", String.valueOf(copy.header(Mirror.MIRROR_ID_HEADER)))
                    .start();
        } catch (RuntimeException e) {
            log.debug("The observation of a copy to '{}' could not start", target, e);
            return null;
        }
    }

    /** Stops the observation of a copy the shadow answered with {@code status}. */
    static void answered(Observation observation, int status) {
        stop(observation, Reason.NONE, TargetMeters.statusClass(status), null);
    }

    /** Stops the observation of a copy that got no answer. */
    static void failed(Observation observation, Reason reason, Throwable failure) {
        stop(observation, reason, "none", failure);
    }

    private static void stop(Observation observation, Reason reason, String status, Throwable failure) {
        if (observation == null) {
            return;
        }
        try {
            observation.lowCardinalityKeyValue("outcome", reason.outcome().tag())
                    .lowCardinalityKeyValue("reason", reason.tag())
                    .lowCardinalityKeyValue("status", status);
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        } catch (RuntimeException e) {
            log.debug("The observation of a copy could not stop", e);
        }
    }
}
