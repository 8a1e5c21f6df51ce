package dev.trafficmirror.core;

import dev.trafficmirror.core.compare.engine.ComparisonEngine;
import dev.trafficmirror.core.http.ShadowIo;
import dev.trafficmirror.core.http.WireSyntax;
import dev.trafficmirror.core.integration.MirrorIntegration;
import dev.trafficmirror.core.integration.PendingMirror;
import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordedExchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind a {@link Mirror}: decides each request on its head (loop guard, pause switch,
 * whether it can be reproduced, conditions, each target's sampling), then, once the body and the
 * primary's answer are known, hands the copies to the chosen targets' lanes within the byte budget.
 * Every request it sees is counted once per target, whatever becomes of it.
 *
 * <p>It is also what integrations talk to ({@link MirrorIntegration}), and it shuts the lanes and
 * senders down.
 */
final class Dispatcher implements MirrorIntegration {

    /** The primary's status when it is not known. */
    static final int UNKNOWN_STATUS = -1;

    /** {@link #decide}'s {@code sampledIn} when the targets are still to sample. */
    private static final long ALL_UNDECIDED = -1;

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final List<TargetRoute> routes;
    private final List<TargetLane> lanes;
    private final Predicate<MirrorRequest> condition;
    private final long maxBodySize;
    private final int responseCaptureLimit;
    private final InFlight inFlight;
    private final ComparisonEngine comparisons;
    private final CompareExecutor compareExecutor;
    private final MirrorMeters meters;
    private final ShadowIo io;
    private final MirrorSink sink;
    /** Whether every target decides without looking at the request (no condition, random or counter sampling). */
    private final boolean decidesWithoutHead;
    private volatile boolean enabled = true;
    private volatile boolean closed;

    /**
     * @param comparisons the engine comparing answers, or {@code null} when no target compares
     * @param compareExecutor where the engine compares, or {@code null} when no target compares
     * @param io the I/O thread sending the targets' copies, or {@code null} when a sink of the application's does
     * @param sink the application's own sender of every target's copies, or {@code null} for the I/O thread
     */
    Dispatcher(List<TargetRoute> routes, Predicate<MirrorRequest> condition, long maxBodySize, int responseCaptureLimit,
            InFlight inFlight, ComparisonEngine comparisons, CompareExecutor compareExecutor, MirrorMeters meters,
            ShadowIo io, MirrorSink sink) {
        this.routes = List.copyOf(routes);
        this.lanes = this.routes.stream().map(TargetRoute::lane).toList();
        this.condition = condition;
        this.maxBodySize = maxBodySize;
        this.responseCaptureLimit = responseCaptureLimit;
        this.inFlight = inFlight;
        this.comparisons = comparisons;
        this.compareExecutor = compareExecutor;
        this.meters = meters;
        this.io = io;
        this.sink = sink;
        this.decidesWithoutHead = condition == null && this.routes.size() < Long.SIZE
                && this.routes.stream().allMatch(TargetRoute::decidesWithoutHead);
    }

    /** A complete request, decided and dispatched at once; never throws. */
    void submit(MirrorRequest request, int primaryStatus, PrimaryResponse primary) {
        submit(begin(request), request, primaryStatus, primary);
    }

    private void submit(PendingMirror pending, MirrorRequest request, int primaryStatus, PrimaryResponse primary) {
        if (pending != null) {
            if (primary != null && pending.wantsPrimaryResponse()) {
                pending.comparePrimary(() -> primary);
            }
            if (pending.needsBody() && request.bodyLength() > maxBodySize) {
                pending.skip(Reason.BODY_TOO_LARGE);
            } else {
                pending.send(request.bodyArray(), primaryStatus);
            }
        }
    }

    @Override
    public void submit(MirrorRequest request, PrimaryResponse primary) {
        submit(request, primary == null ? UNKNOWN_STATUS : primary.status(), primary);
    }

    @Override
    public void replay(RecordedExchange exchange) {
        MirrorRequest request;
        try {
            // The recorded copy's own X-Mirror-Id is its id, not a loop: the copies get it again.
            List<Map.Entry<String, String>> headers = new ArrayList<>(exchange.request().headers());
            headers.removeIf(header -> header.getKey().equalsIgnoreCase(Mirror.MIRROR_ID_HEADER));
            request = exchange.request().withHeaders(headers);
        } catch (RuntimeException e) {
            log.warn("Mirror could not replay {}", exchange, e);
            countAll(Reason.ERROR);
            return;
        }
        PrimaryResponse primary = exchange.response().orElse(null);
        submit(begin(request, exchange.id().isEmpty() ? null : exchange.id()), request,
                primary == null ? UNKNOWN_STATUS : primary.status(), primary);
    }

    @Override
    public PendingMirror begin(MirrorRequest head) {
        return begin(head, null);
    }

    /** {@link #begin(MirrorRequest)}, the copies' {@code X-Mirror-Id} being {@code id} unless {@code null}. */
    private PendingMirror begin(MirrorRequest head, String id) {
        try {
            Reason refused = refusedBeforeLooking(head::header);
            if (refused != null) {
                countAll(refused);
                return null;
            }
            return decide(head, ALL_UNDECIDED, id);
        } catch (RuntimeException | LinkageError e) {
            log.warn("Mirror could not consider {}", head, e);
            countAll(Reason.ERROR);
            return null;
        }
    }

    @Override
    public PendingMirror begin(Function<String, String> header, Supplier<MirrorRequest> head) {
        if (!decidesWithoutHead) {
            MirrorRequest snapshot;
            try {
                snapshot = head.get();
            } catch (RuntimeException | LinkageError e) {
                log.warn("Mirror could not read a request's head", e);
                countAll(Reason.ERROR);
                return null;
            }
            return begin(snapshot);
        }
        try {
            Reason refused = refusedBeforeLooking(header);
            if (refused != null) {
                countAll(refused);
                return null;
            }
            long sampledIn = 0;
            for (int i = 0; i < routes.size(); i++) {
                if (routes.get(i).sampledWithoutHead()) {
                    sampledIn |= 1L << i;
                }
            }
            if (sampledIn == 0) {
                countAll(Reason.SAMPLED_OUT);
                return null;
            }
            return decide(head.get(), sampledIn, null);
        } catch (RuntimeException | LinkageError e) {
            log.warn("Mirror could not consider a request", e);
            countAll(Reason.ERROR);
            return null;
        }
    }

    /** Shutdown, the loop guard and the pause switch, which need at most one header. */
    private Reason refusedBeforeLooking(Function<String, String> header) {
        return closed ? Reason.SHUTDOWN
                : header.apply(Mirror.MIRROR_ID_HEADER) != null ? Reason.LOOP
                : !enabled ? Reason.DISABLED
                : null;
    }

    /**
     * The rest of {@link #begin}: whether the request can be reproduced, the conditions, and each
     * target's sampling, unless already sampled (bit {@code i} of {@code sampledIn} for target {@code i}).
     *
     * @param id the copies' {@code X-Mirror-Id}, or {@code null} to choose one from the request
     */
    private PendingMirror decide(MirrorRequest head, long sampledIn, String id) {
        MirrorRequest wire = onTheWire(head);
        if (wire == null) {
            countAll(Reason.INVALID_REQUEST);
            return null;
        }
        if (condition != null && !condition.test(wire)) {
            countAll(Reason.EXCLUDED);
            return null;
        }
        List<TargetRoute> chosen = null;
        for (int i = 0; i < routes.size(); i++) {
            TargetRoute route = routes.get(i);
            Reason refusal;
            try {
                refusal = sampledIn == ALL_UNDECIDED ? route.refusal(wire)
                        : (sampledIn & 1L << i) != 0 ? null : Reason.SAMPLED_OUT;
            } catch (RuntimeException e) {
                log.warn("Target '{}' could not consider {}", route.target().name(), wire, e);
                refusal = Reason.ERROR;
            }
            if (refusal == null) {
                if (chosen == null) {
                    chosen = new ArrayList<>(routes.size());
                }
                chosen.add(route);
            } else {
                route.count(refusal);
            }
        }
        return chosen == null ? null : new DecidedRequest(this, wire, chosen,
                id != null && MirrorIds.isSafeToken(id) ? id : MirrorIds.of(wire));
    }

    /**
     * The head with its path and query spelled as they go on the wire, or {@code null} when the
     * request cannot be reproduced safely (see {@link WireSyntax}).
     */
    private static MirrorRequest onTheWire(MirrorRequest head) {
        String path = WireSyntax.path(head.path());
        String query = head.query() == null ? null : WireSyntax.query(head.query());
        if (path == null || (query == null && head.query() != null) || !WireSyntax.isToken(head.method())
                || !WireSyntax.areHeaders(head.headers())) {
            return null;
        }
        return head.withTarget(path, query);
    }

    /** The comparisons of one request, or {@code null} when no engine compares (none of the targets does). */
    ComparisonRound comparisonRound(MirrorRequest head, String id, PrimaryResponse primary, List<TargetRoute> chosen) {
        if (comparisons == null) {
            return null;
        }
        boolean awaitsControl = chosen.stream().anyMatch(route -> route.target().isControl());
        return new ComparisonRound(comparisons, compareExecutor, head, id, primary, inFlight, awaitsControl);
    }

    /**
     * Hands the copies to the chosen targets' lanes. Every target is counted once, and a comparing
     * round is told of every copy that never reaches its shadow, so that no candidate waits for a
     * control that was refused.
     *
     * @param primary the primary's captured answer, for comparing and recording targets; {@code null} when none
     * @param reservedBody room already reserved in the byte budget for this request's body while
     *     it was read; taken over: kept for the copies, or given back
     */
    void dispatch(MirrorRequest head, byte[] body, List<TargetRoute> chosen, String id, int primaryStatus,
            ComparisonRound round, PrimaryResponse primary, long reservedBody) {
        if (closed) {
            inFlight.release(reservedBody);
            chosen.forEach(route -> refuse(route, Reason.SHUTDOWN, round, false));
            return;
        }
        // A paused or full target refuses before its copy is built: a dead shadow costs a check.
        List<TargetRoute> admitted = new ArrayList<>(chosen.size());
        boolean bodyNeeded = false;
        boolean recorded = false;
        for (TargetRoute route : chosen) {
            if (!route.takesStatus(primaryStatus)) {
                refuse(route, Reason.PRIMARY_STATUS, round, false);
            } else if (route.lane().admit()) {
                admitted.add(route);
                bodyNeeded |= route.needsBody();
                recorded |= route.target().records();
            } else {
                route.lane().unanswered(round);
            }
        }
        if (admitted.isEmpty()) {
            inFlight.release(reservedBody);
            return;
        }
        // The primary's captured answer lives as long as the body: both count against the budget,
        // where the body's room, reserved while it was read, is already.
        long bytes = (bodyNeeded ? body.length : 0)
                + (primary != null && (round != null || recorded) ? primary.bodyLength() : 0);
        if (!inFlight.tryReplace(reservedBody, bytes)) {
            admitted.forEach(route -> refuse(route, Reason.MEMORY_BUDGET, round, true));
            return;
        }
        InFlight.SharedBody shared = inFlight.new SharedBody(bytes, admitted.size());
        for (TargetRoute route : admitted) {
            MirrorRequest copy;
            try {
                copy = route.copy(head, body, id);
            } catch (RuntimeException | LinkageError e) {
                log.warn("Mirror could not make the copy of {} for target '{}'", head, route.target().name(), e);
                refuse(route, Reason.ERROR, round, true);
                shared.done();
                continue;
            }
            route.lane().dispatch(copy, shared, round, primary);
        }
    }

    private static void refuse(TargetRoute route, Reason reason, ComparisonRound round, boolean admitted) {
        if (admitted) {
            route.lane().refuse(reason);
        } else {
            route.count(reason);
        }
        route.lane().unanswered(round);
    }

    private void countAll(Reason reason) {
        for (TargetLane lane : lanes) {
            lane.count(reason);
        }
    }

    List<TargetRoute> routes() {
        return routes;
    }

    /** @throws IllegalArgumentException if there is no such target */
    TargetRoute route(String name) {
        for (TargetRoute route : routes) {
            if (route.target().name().equals(name)) {
                return route;
            }
        }
        throw new IllegalArgumentException("no target is named '" + name + "'; the targets are "
                + routes.stream().map(route -> "'" + route.target().name() + "'").toList());
    }

    InFlight inFlight() {
        return inFlight;
    }

    int connectionCount() {
        return io == null ? 0 : io.connectionCount();
    }

    ComparisonEngine comparisons() {
        return comparisons;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    boolean isEnabled() {
        return enabled && !closed;
    }

    @Override
    public long maxBodySize() {
        return maxBodySize;
    }

    @Override
    public int responseCaptureLimit() {
        return responseCaptureLimit;
    }

    @Override
    public Counter counter(String name, String description, String... tags) {
        return meters.counter(name, description, Tags.of(tags));
    }

    /**
     * Stops taking new copies, lets in-flight copies finish for up to {@code timeout}, then cancels
     * what is left (counted as {@code shutdown}) and stops the I/O thread and every sender thread.
     * Not thread-safe: {@link Mirror#close} calls it once.
     */
    void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!inFlight.awaitDrained(timeout)) {
                log.info("Mirror closing: {} copies still in flight after {}, cancelling them", inFlight.copies(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.forEach(TargetLane::markClosing);
        if (io != null) {
            io.close();
        }
        if (sink != null) {
            sink.close();
        }
        lanes.forEach(lane -> lane.close(timeout));
        if (compareExecutor != null) {
            compareExecutor.close();
        }
        meters.removeAll();
    }
}
