package dev.trafficmirror.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

/**
 * The container's async context as the application sees it after {@code startAsync()}: identical,
 * except that {@link #getRequest()} is the request the application was given (the tee), not the
 * container's unwrapped one, so that reading the body on another thread is teed too.
 */
final class TeeAsyncContext implements AsyncContext {

    private final AsyncContext context;
    private final TeeRequest request;
    private final ServletResponse original;

    /**
     * @param original the response the container gave the filter: the one the context holds
     *     without the filter
     */
    TeeAsyncContext(AsyncContext context, TeeRequest request, ServletResponse original) {
        this.context = context;
        this.request = request;
        this.original = original;
    }

    TeeRequest request() {
        return request;
    }

    @Override
    public ServletRequest getRequest() {
        return request;
    }

    @Override
    public ServletResponse getResponse() {
        return context.getResponse();
    }

    /**
     * As without the filter. Undertow's {@code startAsync()} holds the request and response the
     * filter chain passed on, the tee (and the capture, when comparing) where the application's
     * container would hold its originals: that counts as holding the originals.
     */
    @Override
    public boolean hasOriginalRequestAndResponse() {
        return context.hasOriginalRequestAndResponse()
                || context.getRequest() == request && unwrapped(context.getResponse()) == original;
    }

    /** The response under the filter's own wrappers. */
    private static ServletResponse unwrapped(ServletResponse response) {
        ServletResponse at = response;
        while (at instanceof CaptureResponse || at instanceof InputClosingResponse) {
            at = ((ServletResponseWrapper) at).getResponse();
        }
        return at;
    }

    @Override
    public void dispatch() {
        context.dispatch();
    }

    @Override
    public void dispatch(String path) {
        context.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext servletContext, String path) {
        context.dispatch(servletContext, path);
    }

    @Override
    public void complete() {
        context.complete();
    }

    @Override
    public void start(Runnable run) {
        context.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
        context.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        context.addListener(listener, servletRequest, servletResponse);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
        return context.createListener(clazz);
    }

    @Override
    public void setTimeout(long timeout) {
        context.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
        return context.getTimeout();
    }
}
