package dev.trafficmirror.bench.jmh;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A synchronous HTTP request held in memory, with what a servlet filter and a simple application
 * use: method, path, query, headers and a body that {@link #rewind()} makes readable again, so one
 * instance serves every benchmark invocation. Everything else is unsupported.
 */
final class InMemoryRequest implements HttpServletRequest {

    private final String method;
    private final String uri;
    private final String query;
    private final List<Map.Entry<String, String>> headers;
    private final Set<String> headerNames = new LinkedHashSet<>();
    private final byte[] body;
    private final MemoryInputStream stream;

    InMemoryRequest(String method, String uri, String query, List<Map.Entry<String, String>> headers, byte[] body) {
        this.method = method;
        this.uri = uri;
        this.query = query;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.stream = new MemoryInputStream(body);
        this.headers.forEach(header -> headerNames.add(header.getKey()));
    }

    /** Makes the whole body readable again, as if this were the next request. */
    void rewind() {
        stream.rewind();
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public String getRequestURI() {
        return uri;
    }

    @Override
    public String getQueryString() {
        return query;
    }

    @Override
    public String getHeader(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                values.add(header.getValue());
            }
        }
        return Collections.enumeration(values);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(headerNames);
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public String getContentType() {
        return getHeader("Content-Type");
    }

    @Override
    public ServletInputStream getInputStream() {
        return stream;
    }

    @Override
    public String getCharacterEncoding() {
        return null;
    }

    @Override
    public String getScheme() {
        return "http";
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public String getRemoteAddr() {
        return "127.0.0.1";
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public boolean isAsyncSupported() {
        return false;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not needed by the benchmarks");
    }

    // Nothing below is used by MirrorFilter or the benchmark application.

    @Override
    public String getAuthType() {
        throw unsupported();
    }

    @Override
    public Cookie[] getCookies() {
        throw unsupported();
    }

    @Override
    public long getDateHeader(String name) {
        throw unsupported();
    }

    @Override
    public int getIntHeader(String name) {
        throw unsupported();
    }

    @Override
    public String getPathInfo() {
        throw unsupported();
    }

    @Override
    public String getPathTranslated() {
        throw unsupported();
    }

    @Override
    public String getContextPath() {
        return "";
    }

    @Override
    public String getRemoteUser() {
        throw unsupported();
    }

    @Override
    public boolean isUserInRole(String role) {
        throw unsupported();
    }

    @Override
    public Principal getUserPrincipal() {
        throw unsupported();
    }

    @Override
    public String getRequestedSessionId() {
        throw unsupported();
    }

    @Override
    public StringBuffer getRequestURL() {
        throw unsupported();
    }

    @Override
    public String getServletPath() {
        throw unsupported();
    }

    @Override
    public HttpSession getSession(boolean create) {
        throw unsupported();
    }

    @Override
    public HttpSession getSession() {
        throw unsupported();
    }

    @Override
    public String changeSessionId() {
        throw unsupported();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        throw unsupported();
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        throw unsupported();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        throw unsupported();
    }

    @Override
    public boolean authenticate(HttpServletResponse response) {
        throw unsupported();
    }

    @Override
    public void login(String username, String password) {
        throw unsupported();
    }

    @Override
    public void logout() {
        throw unsupported();
    }

    @Override
    public Collection<Part> getParts() {
        throw unsupported();
    }

    @Override
    public Part getPart(String name) {
        throw unsupported();
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
        throw unsupported();
    }

    @Override
    public Object getAttribute(String name) {
        throw unsupported();
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        throw unsupported();
    }

    @Override
    public void setCharacterEncoding(String encoding) {
        throw unsupported();
    }

    @Override
    public String getParameter(String name) {
        throw unsupported();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        throw unsupported();
    }

    @Override
    public String[] getParameterValues(String name) {
        throw unsupported();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        throw unsupported();
    }

    @Override
    public String getServerName() {
        throw unsupported();
    }

    @Override
    public int getServerPort() {
        throw unsupported();
    }

    @Override
    public BufferedReader getReader() {
        throw unsupported();
    }

    @Override
    public String getRemoteHost() {
        throw unsupported();
    }

    @Override
    public void setAttribute(String name, Object value) {
        throw unsupported();
    }

    @Override
    public void removeAttribute(String name) {
        throw unsupported();
    }

    @Override
    public Locale getLocale() {
        throw unsupported();
    }

    @Override
    public Enumeration<Locale> getLocales() {
        throw unsupported();
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        throw unsupported();
    }

    @Override
    public int getRemotePort() {
        throw unsupported();
    }

    @Override
    public String getLocalName() {
        throw unsupported();
    }

    @Override
    public String getLocalAddr() {
        throw unsupported();
    }

    @Override
    public int getLocalPort() {
        throw unsupported();
    }

    @Override
    public ServletContext getServletContext() {
        throw unsupported();
    }

    @Override
    public AsyncContext startAsync() {
        throw unsupported();
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        throw unsupported();
    }

    @Override
    public AsyncContext getAsyncContext() {
        throw unsupported();
    }

    @Override
    public String getRequestId() {
        throw unsupported();
    }

    @Override
    public String getProtocolRequestId() {
        throw unsupported();
    }

    @Override
    public ServletConnection getServletConnection() {
        throw unsupported();
    }
}
