package dev.trafficmirror.core;

import dev.trafficmirror.core.integration.PendingMirror;
import dev.trafficmirror.core.integration.PrimaryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request whose targets are decided, waiting for its body and the primary's answer: what the
 * {@link Dispatcher} hands an integration as its {@link PendingMirror}.
 */
final class DecidedRequest implements PendingMirror {

    private static final byte[] NO_BODY = new byte[0];
    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final Dispatcher dispatcher;
    private final MirrorRequest head;
    private final List<TargetRoute> routes;
    private final String id;
    private final boolean needsBody;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Body bytes reserved with {@link #reserveBody} and not given back; guarded by {@code finished}'s lock. */
    private long reservedBody;
    private volatile Supplier<PrimaryResponse> primary;

    DecidedRequest(Dispatcher dispatcher, MirrorRequest head, List<TargetRoute> routes, String id) {
        this.dispatcher = dispatcher;
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

    @Override
    public String id() {
        return id;
    }

    @Override
    public long maxBodySize() {
        return dispatcher.maxBodySize();
    }

    @Override
    public boolean needsBody() {
        return needsBody;
    }

    @Override
    public boolean compares() {
        for (TargetRoute route : routes) {
            if (route.target().compares()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean wantsPrimaryResponse() {
        for (TargetRoute route : routes) {
            if (route.target().compares() || route.target().records()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int responseCaptureLimit() {
        return dispatcher.responseCaptureLimit();
    }

    @Override
    public void comparePrimary(Supplier<PrimaryResponse> capture) {
        this.primary = capture;
    }

    @Override
    public boolean reserveBody(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        synchronized (finished) {
            if (finished.get() || !dispatcher.inFlight().tryReserve(bytes)) {
                return false;
            }
            reservedBody += bytes;
            return true;
        }
    }

    @Override
    public void releaseBody(long bytes) {
        synchronized (finished) {
            long released = Math.min(Math.max(bytes, 0), reservedBody);
            if (!finished.get() && released > 0) {
                reservedBody -= released;
                dispatcher.inFlight().release(released);
            }
        }
    }

    /** Marks the request finished; the body bytes still reserved, which the caller now owns; -1 if already finished. */
    private long finishReserved() {
        synchronized (finished) {
            if (!finished.compareAndSet(false, true)) {
                return -1;
            }
            long reserved = reservedBody;
            reservedBody = 0;
            return reserved;
        }
    }

    @Override
    public void send(byte[] body) {
        send(body, Dispatcher.UNKNOWN_STATUS);
    }

    @Override
    public void send(byte[] body, int primaryStatus) {
        long reserved = finishReserved();
        if (reserved < 0) {
            return;
        }
        PrimaryResponse captured = wantsPrimaryResponse() ? capturedPrimary() : null;
        ComparisonRound round = compares() ? dispatcher.comparisonRound(head, id, captured, routes) : null;
        dispatcher.dispatch(head, body == null ? NO_BODY : body, round == null ? routes : controlFirst(), id,
                primaryStatus >= 100 && primaryStatus <= 999 ? primaryStatus : Dispatcher.UNKNOWN_STATUS, round,
                captured, reserved);
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

    @Override
    public void skip(Reason reason) {
        if (reason == Reason.NONE) {
            throw new IllegalArgumentException(reason + " is not a reason to skip a mirror");
        }
        long reserved = finishReserved();
        if (reserved >= 0) {
            dispatcher.inFlight().release(reserved);
            for (TargetRoute route : routes) {
                route.count(reason);
            }
        }
    }
}
