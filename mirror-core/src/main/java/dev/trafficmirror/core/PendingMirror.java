package dev.trafficmirror.core;

import dev.trafficmirror.core.compare.PrimaryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mirror decided for a request whose body has not been read yet: {@link Mirror#begin} picked its
 * targets from the request's head; the integration reads (tees) the body, then calls
 * {@link #send} with it, or {@link #skip} with the reason it cannot. Exactly one of them takes
 * effect; later calls are ignored. Neither blocks or throws.
 *
 * <p>When a chosen target compares answers ({@link #compares()}), the integration captures the
 * primary's answer and hands it over with {@link #comparePrimary} before {@code send}.
 */
public final class PendingMirror {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final Mirror mirror;
    private final MirrorRequest head;
    private final List<TargetLane> lanes;
    private final String id;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Supplier<PrimaryResponse> primary;

    PendingMirror(Mirror mirror, MirrorRequest head, List<TargetLane> lanes, String id) {
        this.mirror = mirror;
        this.head = head;
        this.lanes = lanes;
        this.id = id;
    }

    /** The {@code X-Mirror-Id} the copies will carry. */
    public String id() {
        return id;
    }

    /** The largest body that may be mirrored, in bytes; tee no more than this plus one. */
    public long maxBodySize() {
        return mirror.maxBodySize();
    }

    /**
     * Whether a chosen target compares its answers with the primary's: only then is the primary's
     * answer worth capturing.
     */
    public boolean compares() {
        for (TargetLane lane : lanes) {
            if (lane.target().compares()) {
                return true;
            }
        }
        return false;
    }

    /** The most body bytes of the primary's answer worth capturing: more cannot be compared. */
    public int responseCaptureLimit() {
        return mirror.responseCaptureLimit();
    }

    /**
     * Says where to get the primary's captured answer: {@link #send} calls {@code capture} once, on
     * its own thread, once the application has answered. Without it, comparing targets count the
     * request as {@code not_comparable}.
     */
    public void comparePrimary(Supplier<PrimaryResponse> capture) {
        this.primary = capture;
    }

    /**
     * Hands the request, with its complete body, to the targets' senders.
     *
     * @param body the exact body bytes; taken over, not copied
     */
    public void send(byte[] body) {
        if (finished.compareAndSet(false, true)) {
            ComparisonRound round = compares() ? mirror.comparisonRound(head, id, capturedPrimary(), lanes) : null;
            mirror.dispatch(head, body, round == null ? lanes : controlFirst(), id, round);
        }
    }

    private PrimaryResponse capturedPrimary() {
        Supplier<PrimaryResponse> capture = primary;
        if (capture == null) {
            return null;
        }
        try {
            return capture.get();
        } catch (RuntimeException e) {
            log.warn("Mirror could not capture the primary's answer to {}", head, e);
            return null;
        }
    }

    /** The control is dispatched first, so that no candidate can ever wait for it on a request thread. */
    private List<TargetLane> controlFirst() {
        List<TargetLane> ordered = new ArrayList<>(lanes.size());
        for (TargetLane lane : lanes) {
            if (lane.target().isControl()) {
                ordered.add(0, lane);
            } else {
                ordered.add(lane);
            }
        }
        return ordered;
    }

    /**
     * Counts the request as not mirrored, for every target that had picked it.
     *
     * @throws IllegalArgumentException for {@link Reason#NONE}, which means "mirrored"
     */
    public void skip(Reason reason) {
        if (reason == Reason.NONE) {
            throw new IllegalArgumentException(reason + " is not a reason to skip a mirror");
        }
        if (finished.compareAndSet(false, true)) {
            for (TargetLane lane : lanes) {
                lane.count(reason);
            }
        }
    }
}
