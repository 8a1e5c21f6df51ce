package dev.trafficmirror.servlet;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.integration.MirrorIntegration;
import dev.trafficmirror.core.integration.PendingMirror;
import io.micrometer.core.instrument.Counter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the requests it sees through a {@link Mirror}, on any jakarta servlet container.
 *
 * <p>The request is decided on its head before the application runs (loop guard, conditions,
 * sampling); a request no target takes goes through untouched: no wrapper, no copy. Otherwise the
 * body is teed as the application reads it (capped at the mirror's maximum body size; not at all
 * when every target picked is headers-only), and once the application has answered, on the request
 * thread or in the container's async completion callback, the snapshot is handed to the mirror with
 * the primary's status (500 when the application threw). The application sees the same request,
 * the same bytes and the same exceptions as without the filter; nothing the mirror does can reach
 * it. What is mirrored for each way of reading a body (forms and multipart
 * included) is described in {@code docs/body-fidelity.md}.
 *
 * <p>Register it first in the chain (before anything that reads the body), for the {@code REQUEST}
 * and {@code ASYNC} dispatcher types; other dispatches go through untouched. The filter does not own
 * the mirror: close the mirror when the application stops.
 */
public final class MirrorFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(MirrorFilter.class);

    /** Bodies are copied into one array: never more than an array can hold. */
    private static final long LARGEST_ARRAY = Integer.MAX_VALUE - 8;
    private static final byte[] NO_BODY = new byte[0];

    private final MirrorIntegration mirror;
    private final BodyRebuilds rebuilds;
    private final AsyncBodies asyncBodies = new AsyncBodies();

    /**
     * What the filter mirrors of an {@code application/x-www-form-urlencoded} body that the
     * container read and parsed itself, when the application asked for parameters before reading
     * the body (a form the application reads itself, or never asks about, is always mirrored
     * exactly).
     */
    public enum Forms {
        /**
         * The body is rebuilt from the parameters, as browsers encode them (the default): byte for
         * byte for the encodings clients write, otherwise a body that parses into the same
         * parameters; counted in {@code mirror.body.rebuilt{type=form}}.
         */
        REBUILD,
        /** Only exact bytes are mirrored: the request is counted {@code body_consumed}, not mirrored. */
        SKIP
    }

    /**
     * A filter that mirrors through {@code mirror}, rebuilding the forms the container parsed
     * ({@link Forms#REBUILD}).
     *
     * @see #MirrorFilter(Mirror, Forms)
     */
    public MirrorFilter(Mirror mirror) {
        this(mirror, Forms.REBUILD);
    }

    /**
     * A filter that mirrors through {@code mirror}. Besides the mirror's own meters it counts, in the
     * mirror's registry and tagged like them, {@code mirror.body.rebuilt} with the tag {@code type}
     * ({@code multipart}, {@code form}): bodies the container parsed itself and the filter rebuilt
     * from the parts or parameters.
     *
     * @param forms what becomes of a form the container parsed
     */
    public MirrorFilter(Mirror mirror, Forms forms) {
        this.mirror = Objects.requireNonNull(mirror, "mirror").integration();
        Objects.requireNonNull(forms, "forms");
        this.rebuilds = new BodyRebuilds(rebuilt("multipart", "multipart parts"), rebuilt("form", "form parameters"),
                forms == Forms.REBUILD);
    }

    private Counter rebuilt(String type, String from) {
        return mirror.counter("mirror.body.rebuilt", "Mirrored bodies rebuilt from what the container parsed ("
                + from + ")", "type", type);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            switch (request.getDispatcherType()) {
                case REQUEST -> mirror(http, response, chain);
                case ASYNC -> resume(http, response, chain);
                // FORWARD and INCLUDE run inside a dispatch already teed; ERROR pages are not mirrored.
                default -> chain.doFilter(request, response);
            }
        } else {
            chain.doFilter(request, response);
        }
    }

    private void mirror(HttpServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        PendingMirror pending = begin(request);
        if (pending == null) {
            chain.doFilter(request, response);
            return;
        }
        // Only when a chosen target compares answers (null otherwise): the capture costs a copy.
        CaptureResponse capture = CaptureResponse.forComparison(response, pending, request.getServletContext());
        ServletResponse answer = capture == null ? response : capture;
        if (!pending.needsBody()) {
            headersOnly(request, answer, chain, pending, capture);
            return;
        }
        long cap = Math.min(pending.maxBodySize(), LARGEST_ARRAY);
        long declaredLength = request.getContentLengthLong();
        if (declaredLength > cap) {
            pending.skip(Reason.BODY_TOO_LARGE);
            chain.doFilter(request, response);
            return;
        }
        long bodyLength = bodyLength(request, declaredLength);
        TeedBody body = new TeedBody(request, response, pending, new BodyTee(cap, bodyLength, pending), asyncBodies, rebuilds);
        if (bodyLength != 0 && answer instanceof HttpServletResponse http
                && ContainerTraits.closesInputWhenResponseCompletes(request.getServletContext())) {
            answer = new InputClosingResponse(http, body);
        }
        run(new TeeRequest(request, body), request, answer, chain, body, capture);
    }

    /**
     * An ASYNC dispatch of a request being mirrored: the container dispatches its own request, so
     * the application gets a view of the same teed body again. Unless it goes async once more, this
     * dispatch is the request's last.
     */
    private void resume(HttpServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        TeedBody body = asyncBodies.find(request);
        if (body == null) {
            chain.doFilter(request, response);
            return;
        }
        // startAsync(request, response) with the tee (or a wrapper of it) dispatches that request.
        ServletRequest dispatched = isTeed(request) ? request : new TeeRequest(request, body);
        run(dispatched, request, response, chain, body, null);
    }

    private static void run(ServletRequest dispatched, HttpServletRequest request, ServletResponse response,
            FilterChain chain, TeedBody body, CaptureResponse capture) throws IOException, ServletException {
        int asyncStarts = body.asyncStarts();
        boolean threw = true;
        try {
            chain.doFilter(dispatched, response);
            threw = false;
            if (capture != null) {
                capture.applicationReturned(request);
            }
        } finally {
            body.dispatchReturned(request, asyncStarts, threw);
        }
    }

    /** Every target picked is headers-only: no tee; the copy goes once the application is done. */
    private static void headersOnly(HttpServletRequest request, ServletResponse response, FilterChain chain,
            PendingMirror pending, CaptureResponse capture) throws IOException, ServletException {
        boolean threw = true;
        try {
            chain.doFilter(request, response);
            threw = false;
            if (capture != null) {
                capture.applicationReturned(request);
            }
        } finally {
            try {
                if (request.isAsyncStarted()) {
                    request.getAsyncContext().addListener(new HeadersOnlyCompletion(pending, response));
                } else {
                    pending.send(NO_BODY, threw ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : status(response));
                }
            } catch (RuntimeException e) {
                log.warn("Mirror could not finish a request", e);
                pending.skip(Reason.ERROR);
            }
        }
    }

    /** The status the primary answered with, or -1 when the response is not an HTTP one. */
    static int status(ServletResponse response) {
        return response instanceof HttpServletResponse http ? http.getStatus() : -1;
    }

    /** Sends a headers-only copy when an async request completes. */
    private static final class HeadersOnlyCompletion implements AsyncListener {
        private final PendingMirror pending;
        private final ServletResponse response;

        HeadersOnlyCompletion(PendingMirror pending, ServletResponse response) {
            this.pending = pending;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            pending.send(NO_BODY, status(response));
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows; the copy carries the status the container settles on.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    private static boolean isTeed(ServletRequest request) {
        return request instanceof TeeRequest
                || request instanceof ServletRequestWrapper wrapper && wrapper.isWrapperFor(TeeRequest.class);
    }

    /**
     * An HTTP/1 request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
     * 6.3): known empty, nothing to read. Other protocols may send one without declaring it.
     */
    private static long bodyLength(HttpServletRequest request, long declaredLength) {
        if (declaredLength < 0 && request.getHeader("Transfer-Encoding") == null
                && request.getProtocol() != null && request.getProtocol().startsWith("HTTP/1.")) {
            return 0;
        }
        return declaredLength;
    }

    /** Requests gone async and not completed yet; for tests that look for leaks. */
    int asyncRequestsInFlight() {
        return asyncBodies.size();
    }

    private PendingMirror begin(HttpServletRequest request) {
        try {
            // The head is snapshotted only if a target samples the request (with the default sampling).
            return mirror.begin(request::getHeader, () -> RequestHeads.of(request));
        } catch (RuntimeException e) {
            log.warn("Mirror skipped a request it could not read", e);
            return null;
        }
    }
}
