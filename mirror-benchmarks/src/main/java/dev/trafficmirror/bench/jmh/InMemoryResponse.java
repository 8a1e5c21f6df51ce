package dev.trafficmirror.bench.jmh;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A response that keeps its status and counts the body bytes written, nothing more: the
 * benchmark application sets a status and writes a small body. Everything else is unsupported.
 */
final class InMemoryResponse implements HttpServletResponse {

    private int status = 200;
    private long written;
    private final ServletOutputStream out = new ServletOutputStream() {
        @Override
        public void write(int b) {
            written++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            written += length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw unsupported();
        }
    };

    long written() {
        return written;
    }

    @Override
    public void setStatus(int status) {
        this.status = status;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return out;
    }

    @Override
    public void setContentType(String type) {
        // the benchmark application sets it; nothing reads it back
    }

    @Override
    public void setContentLength(int length) {
        // idem
    }

    @Override
    public void setContentLengthLong(long length) {
        // idem
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not needed by the benchmarks");
    }

    // Nothing below is used by MirrorFilter or the benchmark application.

    @Override
    public void addCookie(Cookie cookie) {
        throw unsupported();
    }

    @Override
    public boolean containsHeader(String name) {
        throw unsupported();
    }

    @Override
    public String encodeURL(String url) {
        throw unsupported();
    }

    @Override
    public String encodeRedirectURL(String url) {
        throw unsupported();
    }

    @Override
    public void sendError(int sc, String msg) {
        throw unsupported();
    }

    @Override
    public void sendError(int sc) {
        throw unsupported();
    }

    @Override
    public void sendRedirect(String location) {
        throw unsupported();
    }

    @Override
    public void setDateHeader(String name, long date) {
        throw unsupported();
    }

    @Override
    public void addDateHeader(String name, long date) {
        throw unsupported();
    }

    @Override
    public void setHeader(String name, String value) {
        throw unsupported();
    }

    @Override
    public void addHeader(String name, String value) {
        throw unsupported();
    }

    @Override
    public void setIntHeader(String name, int value) {
        throw unsupported();
    }

    @Override
    public void addIntHeader(String name, int value) {
        throw unsupported();
    }

    @Override
    public String getHeader(String name) {
        throw unsupported();
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return List.of();
    }

    @Override
    public Collection<String> getHeaderNames() {
        return List.of();
    }

    @Override
    public String getCharacterEncoding() {
        throw unsupported();
    }

    @Override
    public String getContentType() {
        throw unsupported();
    }

    @Override
    public PrintWriter getWriter() {
        throw unsupported();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        throw unsupported();
    }

    @Override
    public void setBufferSize(int size) {
        throw unsupported();
    }

    @Override
    public int getBufferSize() {
        throw unsupported();
    }

    @Override
    public void flushBuffer() {
        throw unsupported();
    }

    @Override
    public void resetBuffer() {
        throw unsupported();
    }

    @Override
    public void reset() {
        throw unsupported();
    }

    @Override
    public void setLocale(Locale loc) {
        throw unsupported();
    }

    @Override
    public Locale getLocale() {
        throw unsupported();
    }
}
