package dev.trafficmirror.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mirror decided for a request whose body has not been read yet: {@link Mirror#begin} picked its
 * targets from the request's head; the integration reads (tees) the body if {@link #needsBody()},
 * lets the application answer, then calls {@link #send} with the body and the primary's status, or
 * {@link #skip} with the reason it cannot. Exactly one of them takes effect; later calls are
 * ignored. Neither blocks or throws.
 */
public final class PendingMirror {

    /** The primary's status when it is not known. */
    static final int UNKNOWN_STATUS = -1;

    private static final byte[] NO_BODY = new byte[0];

    private final Mirror mirror;
    private final MirrorRequest head;
    private final List<TargetRoute> routes;
    private final String id;
    private final boolean needsBody;
    private final AtomicBoolean finished = new AtomicBoolean();

    PendingMirror(Mirror mirror, MirrorRequest head, List<TargetRoute> routes, String id) {
        this.mirror = mirror;
        this.head = head;
        this.routes = routes;
        this.id = id;
        this.needsBody = routes.stream().anyMatch(TargetRoute::needsBody);
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
     * Hands the request, with its complete body, to the targets' senders, without the primary's
     * status: targets restricted to some primary statuses skip it ({@code primary_status}).
     *
     * @param body the exact body bytes; taken over, not copied
     */
    public void send(byte[] body) {
        send(body, UNKNOWN_STATUS);
    }

    /**
     * Hands the request, with its complete body, to the targets' senders, once the primary has
     * answered.
     *
     * @param body the exact body bytes (empty when {@link #needsBody()} is false); taken over, not copied
     * @param primaryStatus the status the primary answered with (100 to 999; anything else means unknown)
     */
    public void send(byte[] body, int primaryStatus) {
        if (finished.compareAndSet(false, true)) {
            mirror.dispatch(head, body == null ? NO_BODY : body, routes, id,
                    primaryStatus >= 100 && primaryStatus <= 999 ? primaryStatus : UNKNOWN_STATUS);
        }
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
