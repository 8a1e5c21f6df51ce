package dev.trafficmirror.servlet;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.PendingMirror;
import dev.trafficmirror.core.Reason;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
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
 * mirror does can reach it.
 *
 * <p>When a target chosen for the request compares answers, the response is wrapped too: the bytes
 * the application writes are copied (capped) while going to the client unchanged, and the captured
 * answer is handed to the mirror with the request.
 *
 * <p>Register it first in the chain (before anything that reads the body), for the {@code REQUEST}
 * and {@code ASYNC} dispatcher types. The filter does not own the mirror: close the mirror when the
 * application stops.
 */
public final class MirrorFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(MirrorFilter.class);

    private final Mirror mirror;

    /** A filter that mirrors through {@code mirror}. */
    public MirrorFilter(Mirror mirror) {
        this.mirror = Objects.requireNonNull(mirror, "mirror");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Later dispatches (ASYNC, FORWARD, INCLUDE, ERROR) belong to a request already considered.
        if (!(request instanceof HttpServletRequest http) || request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response);
            return;
        }
        PendingMirror pending = begin(http);
        if (pending == null) {
            chain.doFilter(request, response);
            return;
        }
        long declaredLength = http.getContentLengthLong();
        if (declaredLength > pending.maxBodySize()) {
            pending.skip(Reason.BODY_TOO_LARGE);
            chain.doFilter(request, response);
            return;
        }
        TeeRequest tee = new TeeRequest(http, new BodyTee(pending.maxBodySize(), declaredLength));
        // Only when a chosen target compares answers (null otherwise): the capture costs a copy.
        CaptureResponse capture = CaptureResponse.forComparison(response, pending);
        try {
            chain.doFilter(tee, capture == null ? response : capture);
            if (capture != null) {
                capture.applicationReturned(http);
            }
        } finally {
            afterApplication(http, tee, pending);
        }
    }

    private PendingMirror begin(HttpServletRequest request) {
        try {
            return mirror.begin(RequestHeads.of(request));
        } catch (RuntimeException e) {
            log.warn("Mirror skipped a request it could not read", e);
            return null;
        }
    }

    private static void afterApplication(HttpServletRequest request, TeeRequest tee, PendingMirror pending) {
        try {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncCompletion(tee, pending));
            } else {
                finish(tee, pending, true);
            }
        } catch (RuntimeException e) {
            log.warn("Mirror could not finish a request", e);
            pending.skip(Reason.ERROR);
        }
    }

    /**
     * Sends the snapshot, or counts why not. Unread body bytes are read here when that cannot
     * change the exchange: synchronously, and not when the client waits for 100-continue (reading
     * would make the container send an interim response the application never asked for).
     */
    private static void finish(TeeRequest tee, PendingMirror pending, boolean mayDrain) {
        BodyTee body = tee.tee();
        if (!body.complete() && mayDrain && !body.overflowed() && !body.hasFailed()
                && tee.getHeader("Expect") == null) {
            try {
                tee.drain();
            } catch (IOException e) {
                // The client went away; the tee has recorded it.
            }
        }
        if (body.overflowed()) {
            pending.skip(Reason.BODY_TOO_LARGE);
        } else if (body.hasFailed()) {
            pending.skip(Reason.CLIENT_ABORTED);
        } else if (!body.complete()) {
            pending.skip(Reason.BODY_UNAVAILABLE);
        } else {
            pending.send(body.bytes());
        }
    }

    /** Finishes an async request once the container completes it, whichever thread that is on. */
    private static final class AsyncCompletion implements AsyncListener {
        private final TeeRequest tee;
        private final PendingMirror pending;

        AsyncCompletion(TeeRequest tee, PendingMirror pending) {
            this.tee = tee;
            this.pending = pending;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            try {
                finish(tee, pending, false);
            } catch (RuntimeException e) {
                log.warn("Mirror could not finish an async request", e);
                pending.skip(Reason.ERROR);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows once the container or the application completes the request.
        }

        @Override
        public void onError(AsyncEvent event) {
            if (event.getThrowable() instanceof IOException) {
                pending.skip(Reason.CLIENT_ABORTED);
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // startAsync() again drops the listeners: stay registered for the new cycle.
            event.getAsyncContext().addListener(this);
        }
    }
}
