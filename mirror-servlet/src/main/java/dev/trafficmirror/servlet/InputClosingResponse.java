package dev.trafficmirror.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The response as the application sees it on a container that closes the request's input the
 * moment the response is complete (Tomcat 11: once as many body bytes as the Content-Length have
 * been written, or the output is closed), so that nothing, the filter included, can read the
 * rest of the request body after that. Identical to the container's response, except that just
 * before a write or close that completes it, the body the application left unread is read as far
 * as it has arrived already ({@link TeedBody#responseCompleting()}): never waiting for the client,
 * so the answer leaves exactly when it would without the filter.
 *
 * <p>Bytes written are counted from below (text as one byte per character), so that the unread
 * rest is never read while the application may still read it: at worst too late, and then the
 * request is counted {@code body_unavailable}.
 */
final class InputClosingResponse extends HttpServletResponseWrapper {

    private final TeedBody body;
    private long contentLength = -1;
    /** At most the body bytes the container has been given since its buffer was last reset. */
    private long written;
    private ServletOutputStream streamOf;
    private ServletOutputStream stream;
    private PrintWriter writerOf;
    private PrintWriter writer;

    InputClosingResponse(HttpServletResponse response, TeedBody body) {
        super(response);
        this.body = body;
    }

    /** Called before {@code bytes} more body bytes (at least) go to the container. */
    private void writing(long bytes) {
        if (contentLength >= 0 && written + bytes >= contentLength && bytes > 0) {
            body.responseCompleting();
        }
        written += bytes;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream out = super.getOutputStream();
        if (out != streamOf) {
            stream = new Stream(out);
            streamOf = out;
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        PrintWriter out = super.getWriter();
        if (out != writerOf) {
            writer = new CountingWriter(out);
            writerOf = out;
        }
        return writer;
    }

    @Override
    public void setContentLength(int length) {
        super.setContentLength(length);
        contentLength = length;
    }

    @Override
    public void setContentLengthLong(long length) {
        super.setContentLengthLong(length);
        contentLength = length;
    }

    @Override
    public void setHeader(String name, String value) {
        super.setHeader(name, value);
        contentLengthHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        super.addHeader(name, value);
        contentLengthHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        super.setIntHeader(name, value);
        contentLengthHeader(name, String.valueOf(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        super.addIntHeader(name, value);
        contentLengthHeader(name, String.valueOf(value));
    }

    private void contentLengthHeader(String name, String value) {
        if ("Content-Length".equalsIgnoreCase(name)) {
            try {
                contentLength = value == null ? -1 : Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                contentLength = -1; // the container refuses it as well
            }
        }
    }

    @Override
    public void reset() {
        super.reset();
        contentLength = -1;
        written = 0;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        written = 0;
    }

    /** The container's output stream, counting. */
    private final class Stream extends ServletOutputStream {
        private final ServletOutputStream out;

        Stream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            writing(1);
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writing(length);
            out.write(bytes, offset, length);
        }

        @Override
        public void print(String s) throws IOException {
            writing(String.valueOf(s).length());
            out.print(s);
        }

        @Override
        public void println(String s) throws IOException {
            writing(String.valueOf(s).length() + 2L);
            out.println(s);
        }

        @Override
        public void println() throws IOException {
            writing(2);
            out.println();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            body.responseCompleting();
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }

    /** The container's writer, counting one byte per character. */
    private final class CountingWriter extends PrintWriter {
        private final PrintWriter container;

        CountingWriter(PrintWriter container) {
            super(new Writer() {
                @Override
                public void write(char[] text, int offset, int length) {
                    writing(length);
                    container.write(text, offset, length);
                }

                @Override
                public void write(String text, int offset, int length) {
                    writing(length);
                    container.write(text, offset, length);
                }

                @Override
                public void write(int c) {
                    writing(1);
                    container.write(c);
                }

                @Override
                public void flush() {
                    container.flush();
                }

                @Override
                public void close() {
                    body.responseCompleting();
                    container.close();
                }
            }, false);
            this.container = container;
        }

        @Override
        public boolean checkError() {
            return container.checkError();
        }
    }
}
