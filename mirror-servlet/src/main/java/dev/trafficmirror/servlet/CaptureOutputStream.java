package dev.trafficmirror.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * The container's output stream with every byte the application writes also copied into a
 * {@link CaptureBuffer}, after the container took it. Every call goes to the container's own method
 * of the same name, so the client gets exactly the bytes, framing and flushes it would get without
 * the capture; non-blocking IO ({@link #setWriteListener}) is the container's own.
 *
 * <p>{@code print} and {@code println} go to the container's own too, since some (Jetty) encode text
 * with the response's charset: their ASCII text is captured as is, and any other text makes the
 * capture incomplete rather than guess the container's encoding.
 */
final class CaptureOutputStream extends ServletOutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private final ServletOutputStream out;
    private final CaptureBuffer capture;
    private final CaptureResponse response;

    CaptureOutputStream(ServletOutputStream out, CaptureBuffer capture, CaptureResponse response) {
        this.out = out;
        this.capture = capture;
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        capture.append(b);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        capture.append(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        capture.append(bytes, offset, length);
    }

    @Override
    public void print(String s) throws IOException {
        out.print(s);
        captureText(String.valueOf(s), false);
    }

    @Override
    public void println(String s) throws IOException {
        out.println(s);
        captureText(String.valueOf(s), true);
    }

    @Override
    public void println() throws IOException {
        out.println();
        capture.append(CRLF, 0, CRLF.length);
    }

    // The other print and println methods of ServletOutputStream call print(String) and println(),
    // so they reach the container through the two methods above.

    private void captureText(String text, boolean newLine) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                response.captureIncomplete("the application printed non-ASCII text to the output stream,"
                        + " whose encoding is the container's");
                return;
            }
            capture.append(c);
        }
        if (newLine) {
            capture.append(CRLF, 0, CRLF.length);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
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
