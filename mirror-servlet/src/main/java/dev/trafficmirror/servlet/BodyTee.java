package dev.trafficmirror.servlet;

import java.util.Arrays;

/**
 * A copy of the body bytes the application reads, capped: one byte over the cap and the copy is
 * thrown away (the application still gets every byte; only the mirror gives up).
 */
final class BodyTee {

    private static final int INITIAL_CAPACITY = 1024;

    private final long cap;
    private final long declaredLength;
    private byte[] buffer;
    private int count;
    private boolean overflowed;
    private boolean failed;
    private boolean ended;

    /**
     * @param cap the largest body kept, in bytes
     * @param declaredLength the Content-Length, or -1 when unknown (chunked or absent)
     */
    BodyTee(long cap, long declaredLength) {
        this.cap = cap;
        this.declaredLength = declaredLength;
        int initial = declaredLength >= 0 && declaredLength <= cap ? (int) declaredLength
                : (int) Math.min(cap, INITIAL_CAPACITY);
        this.buffer = new byte[initial];
    }

    void append(int b) {
        if (reserve(1)) {
            buffer[count++] = (byte) b;
        }
    }

    void append(byte[] bytes, int offset, int length) {
        if (reserve(length)) {
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }
    }

    private boolean reserve(int length) {
        if (overflowed || failed) {
            return false;
        }
        long needed = (long) count + length;
        if (needed > cap) {
            overflowed = true;
            buffer = null;
            return false;
        }
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(cap, Math.max(needed, 2L * buffer.length)));
        }
        return true;
    }

    /** The stream reported its end. */
    void ended() {
        ended = true;
    }

    /** Reading failed (typically the client went away): the copy is incomplete for good. */
    void failed() {
        failed = true;
        buffer = null;
    }

    boolean overflowed() {
        return overflowed;
    }

    boolean hasFailed() {
        return failed;
    }

    /** Whether every byte of the body has been seen. */
    boolean complete() {
        // An end before the declared length means the bytes went elsewhere (e.g. form parsing).
        return !overflowed && !failed && (declaredLength >= 0 ? count == declaredLength : ended);
    }

    /** The bytes held now (at most the cap). */
    int size() {
        return count;
    }

    /** The body; call only when {@link #complete()}. */
    byte[] bytes() {
        return count == buffer.length ? buffer : Arrays.copyOf(buffer, count);
    }
}
