package dev.trafficmirror.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mirror decided for a request whose body has not been read yet: {@link Mirror#begin} picked its
 * targets from the request's head; the integration reads (tees) the body, then calls
 * {@link #send} with it, or {@link #skip} with the reason it cannot. Exactly one of them takes
 * effect; later calls are ignored. Neither blocks or throws.
 */
public final class PendingMirror {

    private final Mirror mirror;
    private final MirrorRequest head;
    private final List<TargetLane> lanes;
    private final String id;
    private final AtomicBoolean finished = new AtomicBoolean();

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
     * Hands the request, with its complete body, to the targets' senders.
     *
     * @param body the exact body bytes; taken over, not copied
     */
    public void send(byte[] body) {
        if (finished.compareAndSet(false, true)) {
            mirror.dispatch(head, body, lanes, id);
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
            for (TargetLane lane : lanes) {
                lane.count(reason);
            }
        }
    }
}
