package dev.trafficmirror.bench.jmh;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/** A container's input stream over bytes in memory, rewound between benchmark invocations. */
public final class MemoryInputStream extends ServletInputStream {

    private final byte[] body;
    private int position;

    /** A stream over {@code body}, which is read, never copied or changed. */
    public MemoryInputStream(byte[] body) {
        this.body = body;
    }

    /** Starts again from the first byte. */
    public void rewind() {
        position = 0;
    }

    @Override
    public int read() {
        return position < body.length ? body[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (position >= body.length) {
            return -1;
        }
        int n = Math.min(length, body.length - position);
        System.arraycopy(body, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public boolean isFinished() {
        return position >= body.length;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("blocking reads only");
    }
}
