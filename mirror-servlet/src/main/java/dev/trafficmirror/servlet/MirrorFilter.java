package dev.trafficmirror.servlet;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.PendingMirror;
import dev.trafficmirror.core.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the requests it sees through a {@link Mirror}, on any jakarta servlet container.
 *
 * <p>The request is decided on its head before the application runs; a request no target takes
 * goes through untouched. Otherwise the body is teed as the application reads it (capped at the
 * mirror's maximum body size), and once the application has answered, on the request thread or in
 * the container's async completion callback, the snapshot is handed to the mirror. The application
 * sees the same request, the same bytes and the same exceptions as without the filter; nothing the
 * mirror does can reach it. What is mirrored for each way of reading a body (forms and multipart
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

    private final Mirror mirror;
    private final Counter rebuilt;
    private final AsyncBodies asyncBodies = new AsyncBodies();

    /**
     * A filter that mirrors through {@code mirror}, counting rebuilt bodies in Micrometer's global
     * registry.
     */
    public MirrorFilter(Mirror mirror) {
        this(mirror, Metrics.globalRegistry);
    }

    /**
     * A filter that mirrors through {@code mirror} and counts, in {@code registry} (give it the
     * mirror's), the {@code mirror.body.rebuilt} copies: bodies the container parsed itself and the
     * filter rebuilt from the parts.
     */
    public MirrorFilter(Mirror mirror, MeterRegistry registry) {
        this.mirror = Objects.requireNonNull(mirror, "mirror");
        this.rebuilt = Counter.builder("mirror.body.rebuilt")
                .description("Mirrored bodies rebuilt from what the container parsed (multipart parts)")
                .tag("type", "multipart")
                .register(Objects.requireNonNull(registry, "registry"));
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
        long cap = Math.min(pending.maxBodySize(), LARGEST_ARRAY);
        long declaredLength = request.getContentLengthLong();
        if (declaredLength > cap) {
            pending.skip(Reason.BODY_TOO_LARGE);
            chain.doFilter(request, response);
            return;
        }
        TeedBody body = new TeedBody(request, pending, new BodyTee(cap, bodyLength(request, declaredLength)),
                asyncBodies, rebuilt);
        run(new TeeRequest(request, body), request, response, chain, body);
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
        run(dispatched, request, response, chain, body);
    }

    private static void run(ServletRequest dispatched, HttpServletRequest request, ServletResponse response,
            FilterChain chain, TeedBody body) throws IOException, ServletException {
        int asyncStarts = body.asyncStarts();
        try {
            chain.doFilter(dispatched, response);
        } finally {
            body.dispatchReturned(request, asyncStarts);
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
            return mirror.begin(RequestHeads.of(request));
        } catch (RuntimeException e) {
            log.warn("Mirror skipped a request it could not read", e);
            return null;
        }
    }
}
