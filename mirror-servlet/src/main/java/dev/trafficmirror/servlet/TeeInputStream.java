package dev.trafficmirror.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The container's input stream with every byte the application reads also copied into a
 * {@link BodyTee}. Everything else, non-blocking IO included, is the container's own behaviour.
 */
final class TeeInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final BodyTee tee;

    TeeInputStream(ServletInputStream in, BodyTee tee) {
        this.in = in;
        this.tee = tee;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            tee.failed();
            throw e;
        }
        if (b < 0) {
            tee.ended();
        } else {
            tee.append(b);
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(bytes, offset, length);
        } catch (IOException e) {
            tee.failed();
            throw e;
        }
        if (n < 0) {
            tee.ended();
        } else {
            tee.append(bytes, offset, n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
