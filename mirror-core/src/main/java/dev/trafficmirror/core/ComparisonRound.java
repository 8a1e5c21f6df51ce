package dev.trafficmirror.core;

import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.engine.ComparisonEngine;
import dev.trafficmirror.core.integration.PrimaryResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparisons of one mirrored request: the primary's captured answer, compared with each
 * comparing target's answer as it arrives, on that target's mirror thread.
 *
 * <p>When the control target took the request too, candidates wait for its answer (the fields in
 * which it differs from the primary are noise for them): a candidate that answers first is parked
 * and compared on the control's thread once the control settles, answered or not. The control is
 * dispatched before the candidates, so it can only settle on the request thread (dropped) before
 * any candidate is parked: comparisons never run on a request thread. A parked answer holds memory,
 * so it is counted against the mirror's byte budget; when there is no room it is compared at once,
 * without the control.
 */
final class ComparisonRound {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final ComparisonEngine engine;
    private final MirrorRequest head;
    private final String id;
    private final PrimaryResponse primary;
    private final InFlight inFlight;
    private final boolean awaitsControl;
    private boolean controlSettled;
    private Comparison control;
    private List<Runnable> parked;

    ComparisonRound(ComparisonEngine engine, MirrorRequest head, String id, PrimaryResponse primary, InFlight inFlight,
            boolean awaitsControl) {
        this.engine = engine;
        this.head = head;
        this.id = id;
        this.primary = primary;
        this.inFlight = inFlight;
        this.awaitsControl = awaitsControl;
    }

    /** The bytes the primary's captured answer holds while the copies are in flight. */
    long primaryBytes() {
        return primary == null ? 0 : primary.bodyLength();
    }

    /**
     * A target's copy is settled: answered ({@code response} not null) or not (failed, dropped).
     * Never throws.
     */
    void settled(MirrorTarget target, ShadowResponse response, long nanos) {
        try {
            if (!target.compares()) {
                return;
            }
            if (target.isControl()) {
                settleControl(response == null ? null : compare(target, response, nanos, null));
            } else if (response != null) {
                compareCandidate(target, response, nanos);
            }
        } catch (RuntimeException e) {
            log.warn("Mirror could not compare the answer of target '{}'", target.name(), e);
        }
    }

    private void settleControl(Comparison comparison) {
        List<Runnable> waiting;
        synchronized (this) {
            controlSettled = true;
            control = comparison;
            waiting = parked;
            parked = null;
        }
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    private void compareCandidate(MirrorTarget target, ShadowResponse response, long nanos) {
        synchronized (this) {
            if (awaitsControl && !controlSettled && inFlight.tryReserve(response.bodyLength())) {
                if (parked == null) {
                    parked = new ArrayList<>(2);
                }
                parked.add(() -> {
                    try {
                        compare(target, response, nanos, controlComparison());
                    } finally {
                        inFlight.release(response.bodyLength());
                    }
                });
                return;
            }
        }
        compare(target, response, nanos, controlComparison());
    }

    private synchronized Comparison controlComparison() {
        return control;
    }

    private Comparison compare(MirrorTarget target, ShadowResponse response, long nanos, Comparison controlComparison) {
        return engine.compare(target, head, id, primary, response, Duration.ofNanos(nanos), controlComparison);
    }
}
