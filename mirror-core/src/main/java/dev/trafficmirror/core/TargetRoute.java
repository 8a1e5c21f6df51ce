package dev.trafficmirror.core;

import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * What one target takes and how its copies look: its condition, sampling and percentage (the
 * percentage changeable at run time), the primary statuses it wants, its header rules and whether
 * it gets the body. How copies are then sent is its {@link TargetLane}'s business.
 */
final class TargetRoute {

    private static final byte[] NO_BODY = new byte[0];

    private final MirrorTarget target;
    private final TargetLane lane;
    private final Sampling sampling;
    private final Predicate<MirrorRequest> condition;
    private final IntPredicate primaryStatus;
    private final HeaderRules headers;
    private final TracePropagation trace;
    private final boolean headersOnly;
    private volatile double percentage;

    TargetRoute(MirrorTarget target, TargetLane lane, Sampling sampling, double percentage, HeaderRules headers,
            TracePropagation trace) {
        this.target = target;
        this.lane = lane;
        this.sampling = sampling;
        this.percentage = percentage;
        this.condition = target.condition().orElse(null);
        this.primaryStatus = target.primaryStatus().orElse(null);
        this.headers = target.headers().orElse(headers);
        this.trace = trace;
        this.headersOnly = target.isHeadersOnly();
    }

    MirrorTarget target() {
        return target;
    }

    TargetLane lane() {
        return lane;
    }

    /** Why this target does not take the request ({@code excluded}, {@code sampled_out}), or {@code null}. */
    Reason refusal(MirrorRequest head) {
        if (condition != null && !condition.test(head)) {
            return Reason.EXCLUDED;
        }
        return sampling.sample(head, percentage) ? null : Reason.SAMPLED_OUT;
    }

    /** Whether this target takes a request or not without looking at it: no condition, random or counter sampling. */
    boolean decidesWithoutHead() {
        return condition == null && (sampling instanceof RandomSampling || sampling instanceof CounterSampling);
    }

    /** Samples a request without looking at it; only when {@link #decidesWithoutHead()}. */
    boolean sampledWithoutHead() {
        return sampling.sample(null, percentage);
    }

    /** Whether a copy is wanted after the primary answered with this status ({@code -1}: unknown). */
    boolean takesStatus(int status) {
        return primaryStatus == null || (status >= 100 && primaryStatus.test(status));
    }

    boolean needsBody() {
        return !headersOnly;
    }

    /** The copy for this target, as it goes on the wire. */
    MirrorRequest copy(MirrorRequest head, byte[] body, String id) {
        return head.withBody(headersOnly ? NO_BODY : body).withHeaders(ShadowHeaders.of(head, id, headers, headersOnly, trace));
    }

    void count(Reason reason) {
        lane.count(reason);
    }

    double percentage() {
        return percentage;
    }

    void setPercentage(double percent) {
        this.percentage = MirrorTarget.checkPercentage(percent, "percentage of target '" + target.name() + "'");
    }
}
