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
 * comparing target's answer as it arrives, on the {@link CompareExecutor}'s thread, never on the
 * thread that received the answer (the I/O thread) nor on a request thread.
 *
 * <p>When the control target took the request too, candidates wait for its answer (the fields in
 * which it differs from the primary are noise for them): a candidate compared first is parked, and
 * compared once the control settles, answered or not. A parked answer holds memory, so it is counted
 * against the mirror's byte budget; when there is no room it is compared at once, without the
 * control. A copy stays in flight until its comparison is done or skipped ({@code release}), so
 * that {@code close()} waits for comparisons too. When the executor's queue is full, the comparison
 * is skipped and counted ({@code skipped}); the copy still counts as answered.
 */
final class ComparisonRound {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final ComparisonEngine engine;
    private final CompareExecutor executor;
    private final MirrorRequest head;
    private final String id;
    private final PrimaryResponse primary;
    private final InFlight inFlight;
    private final boolean awaitsControl;
    private boolean controlSettled;
    private Comparison control;
    private List<Parked> parked;

    ComparisonRound(ComparisonEngine engine, CompareExecutor executor, MirrorRequest head, String id,
            PrimaryResponse primary, InFlight inFlight, boolean awaitsControl) {
        this.engine = engine;
        this.executor = executor;
        this.head = head;
        this.id = id;
        this.primary = primary;
        this.inFlight = inFlight;
        this.awaitsControl = awaitsControl;
    }

    /**
     * A target's copy is settled: answered ({@code response} not null) or not (failed, dropped).
     * Never throws and never compares on the calling thread.
     *
     * @param release gives the copy's place in flight back, once its comparison is done or skipped
     */
    void settled(MirrorTarget target, ShadowResponse response, long nanos, Runnable release) {
        if (!target.compares()) {
            release.run();
        } else if (target.isControl()) {
            if (response == null || !executor.tryRun(() -> {
                try {
                    settleControl(compare(target, response, nanos, null), true);
                } finally {
                    release.run();
                }
            })) {
                if (response != null) {
                    engine.skipped(target);
                }
                settleControl(null, false);
                release.run();
            }
        } else if (response == null || !executor.tryRun(() -> compareCandidate(target, response, nanos, release))) {
            if (response != null) {
                engine.skipped(target);
            }
            release.run();
        }
    }

    /** The control is done with: the parked candidates are compared, here or, off its thread, queued. */
    private void settleControl(Comparison comparison, boolean onCompareThread) {
        List<Parked> waiting;
        synchronized (this) {
            controlSettled = true;
            control = comparison;
            waiting = parked;
            parked = null;
        }
        if (waiting != null) {
            for (Parked candidate : waiting) {
                if (onCompareThread) {
                    candidate.run();
                } else if (!executor.tryRun(candidate)) {
                    candidate.skip();
                }
            }
        }
    }

    /** On the compare thread: compares now, or parks until the control settles. */
    private void compareCandidate(MirrorTarget target, ShadowResponse response, long nanos, Runnable release) {
        synchronized (this) {
            if (awaitsControl && !controlSettled && inFlight.tryReserve(response.bodyLength())) {
                if (parked == null) {
                    parked = new ArrayList<>(2);
                }
                parked.add(new Parked(target, response, nanos, release));
                return;
            }
        }
        try {
            compare(target, response, nanos, controlComparison());
        } finally {
            release.run();
        }
    }

    private synchronized Comparison controlComparison() {
        return control;
    }

    private Comparison compare(MirrorTarget target, ShadowResponse response, long nanos, Comparison controlComparison) {
        try {
            return engine.compare(target, head, id, primary, response, Duration.ofNanos(nanos), controlComparison);
        } catch (RuntimeException e) {
            log.warn("Mirror could not compare the answer of target '{}'", target.name(), e);
            return null;
        }
    }

    /** A candidate's answer waiting for the control's; its bytes are held against the budget. */
    private final class Parked implements Runnable {
        private final MirrorTarget target;
        private final ShadowResponse response;
        private final long nanos;
        private final Runnable release;

        Parked(MirrorTarget target, ShadowResponse response, long nanos, Runnable release) {
            this.target = target;
            this.response = response;
            this.nanos = nanos;
            this.release = release;
        }

        @Override
        public void run() {
            try {
                compare(target, response, nanos, controlComparison());
            } finally {
                done();
            }
        }

        void skip() {
            engine.skipped(target);
            done();
        }

        private void done() {
            inFlight.release(response.bodyLength());
            release.run();
        }
    }
}
