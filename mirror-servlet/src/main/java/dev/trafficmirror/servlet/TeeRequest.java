package dev.trafficmirror.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Map;

/**
 * The request as the application sees it: identical, except that the body bytes it reads, through
 * {@link #getInputStream()} or {@link #getReader()}, are also teed. The reader decodes the teed
 * bytes, so the shadow gets the original bytes, never re-encoded text.
 *
 * <p>One view per dispatch; every view of a request shares one {@link TeedBody}. The other
 * overrides only note what the application did (asked for parameters, went async) and hand back
 * the container's own answer.
 */
final class TeeRequest extends HttpServletRequestWrapper {

    private final TeedBody body;

    TeeRequest(HttpServletRequest request, TeedBody body) {
        super(request);
        this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        return body.inputStream(this);
    }

    @Override
    public BufferedReader getReader() throws IOException {
        return body.reader(this);
    }

    ServletInputStream containerInputStream() throws IOException {
        return super.getInputStream();
    }

    BufferedReader containerReader() throws IOException {
        return super.getReader();
    }

    @Override
    public void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
        // Once the reader is out, containers ignore this; ours holds the container's stream, so the
        // container would not know to ignore it.
        if (body.acceptsCharacterEncoding()) {
            super.setCharacterEncoding(encoding);
            body.characterEncodingSet();
        }
    }

    @Override
    public String getParameter(String name) {
        body.parametersRequested();
        return super.getParameter(name);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        body.parametersRequested();
        return super.getParameterMap();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        body.parametersRequested();
        return super.getParameterNames();
    }

    @Override
    public String[] getParameterValues(String name) {
        body.parametersRequested();
        return super.getParameterValues(name);
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        body.parametersRequested();
        Collection<Part> parts = super.getParts();
        body.partsParsed();
        return parts;
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        body.parametersRequested();
        Part part = super.getPart(name);
        body.partsParsed();
        return part;
    }

    @Override
    public AsyncContext startAsync() {
        return body.asyncStarted(super.startAsync(), this, true);
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return body.asyncStarted(super.startAsync(request, response), this, false);
    }

    @Override
    public AsyncContext getAsyncContext() {
        return body.asyncView(super.getAsyncContext());
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
        T handler = super.upgrade(handlerClass);
        body.upgraded();
        return handler;
    }

    /** The copy of this request's body, for tests that watch its memory. */
    BodyTee tee() {
        return body.tee();
    }
}
