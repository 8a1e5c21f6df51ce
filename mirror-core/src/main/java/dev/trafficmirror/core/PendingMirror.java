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
 * targets from the request's head; the integration reads (tees) the body if {@link #needsBody()},
 * lets the application answer, then calls {@link #send} with the body and the primary's status, or
 * {@link #skip} with the reason it cannot. Exactly one of them takes effect; later calls are
 * ignored. Neither blocks or throws.
 *
 * <p>When a chosen target compares answers ({@link #compares()}), the integration captures the
 * primary's answer and hands it over with {@link #comparePrimary} before {@code send}.
 */
public final class PendingMirror {

    /** The primary's status when it is not known. */
    static final int UNKNOWN_STATUS = -1;

    private static final byte[] NO_BODY = new byte[0];
    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final Mirror mirror;
    private final MirrorRequest head;
    private final List<TargetRoute> routes;
    private final String id;
    private final boolean needsBody;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Supplier<PrimaryResponse> primary;

    PendingMirror(Mirror mirror, MirrorRequest head, List<TargetRoute> routes, String id) {
        this.mirror = mirror;
        this.head = head;
        this.routes = routes;
        this.id = id;
        this.needsBody = anyNeedsBody(routes);
    }

    // A loop, not a stream: this runs on the request thread for every mirrored request.
    private static boolean anyNeedsBody(List<TargetRoute> routes) {
        for (TargetRoute route : routes) {
            if (route.needsBody()) {
                return true;
            }
        }
        return false;
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
     * Whether any target picked wants the body. When none does (all are headers-only), do not read
     * or copy it: {@link #send(byte[], int)} an empty array, whatever the body's size.
     */
    public boolean needsBody() {
        return needsBody;
    }

    /**
     * Whether a chosen target compares its answers with the primary's: only then is the primary's
     * answer worth capturing.
     */
    public boolean compares() {
        for (TargetRoute route : routes) {
            if (route.target().compares()) {
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
     * Hands the request, with its complete body, to the targets' queues, without the primary's
     * status: targets restricted to some primary statuses skip it ({@code primary_status}).
     *
     * @param body the exact body bytes; taken over, not copied
     */
    public void send(byte[] body) {
        send(body, UNKNOWN_STATUS);
    }

    /**
     * Hands the request, with its complete body, to the targets' queues, once the primary has
     * answered.
     *
     * @param body the exact body bytes (empty when {@link #needsBody()} is false); taken over, not copied
     * @param primaryStatus the status the primary answered with (100 to 999; anything else means unknown)
     */
    public void send(byte[] body, int primaryStatus) {
        if (finished.compareAndSet(false, true)) {
            ComparisonRound round = compares() ? mirror.comparisonRound(head, id, capturedPrimary(), routes) : null;
            mirror.dispatch(head, body == null ? NO_BODY : body, round == null ? routes : controlFirst(), id,
                    primaryStatus >= 100 && primaryStatus <= 999 ? primaryStatus : UNKNOWN_STATUS, round);
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
    private List<TargetRoute> controlFirst() {
        List<TargetRoute> ordered = new ArrayList<>(routes.size());
        for (TargetRoute route : routes) {
            if (route.target().isControl()) {
                ordered.add(0, route);
            } else {
                ordered.add(route);
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
            for (TargetRoute route : routes) {
                route.count(reason);
            }
        }
    }
}
