package dev.trafficmirror.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The container's input stream with every byte the application reads also copied into a
 * {@link BodyTee}. Everything else, non-blocking IO included, is the container's own behaviour.
 *
 * <p>Only {@code read()} and {@code read(byte[], int, int)} reach the container: the other reading
 * methods ({@code readAllBytes}, {@code readNBytes}, {@code skip}, {@code readLine},
 * {@code transferTo}) are {@link java.io.InputStream}'s, built on those two, so skipped bytes are
 * teed too.
 */
final class TeeInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final BodyTee tee;
    private volatile boolean nonBlocking;

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
        boolean finished = in.isFinished();
        if (finished) {
            // Non-blocking readers stop on isFinished() and may never see read() return -1.
            tee.ended();
        }
        return finished;
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        // A null listener goes through so that the container throws what it throws for it.
        in.setReadListener(listener == null ? null : new TeeReadListener(listener));
        nonBlocking = true;
    }

    /** Whether the application switched to non-blocking reads: then nobody may read blocking. */
    boolean isNonBlocking() {
        return nonBlocking;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The application's listener, told first what the tee learns from the container's events. */
    private final class TeeReadListener implements ReadListener {
        private final ReadListener listener;

        TeeReadListener(ReadListener listener) {
            this.listener = listener;
        }

        @Override
        public void onDataAvailable() throws IOException {
            listener.onDataAvailable();
        }

        @Override
        public void onAllDataRead() throws IOException {
            tee.ended();
            listener.onAllDataRead();
        }

        @Override
        public void onError(Throwable t) {
            tee.failed();
            listener.onError(t);
        }
    }
}
