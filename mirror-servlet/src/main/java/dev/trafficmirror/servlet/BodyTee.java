package dev.trafficmirror.servlet;

import java.util.Arrays;

/**
 * A copy of the body bytes the application reads, capped: one byte over the cap and the copy is
 * thrown away (the application still gets every byte; only the mirror gives up).
 *
 * <p>The buffer is allocated on the first byte, sized to the declared length when there is one,
 * and never grows past the cap; it is dropped as soon as the copy cannot be used (over the cap,
 * failed read) or has been handed over.
 *
 * <p>Synchronized: an async request's error callback may mark it failed on a container thread
 * while the application reads on its own, and that must never throw into the application's read.
 */
final class BodyTee {

    private static final int FIRST_CHUNK = 8192;

    private final long cap;
    private final long declaredLength;
    private byte[] buffer;
    private int count;
    private boolean overflowed;
    private boolean failed;
    private boolean ended;
    private boolean released;

    /**
     * @param cap the largest body kept, in bytes
     * @param declaredLength the Content-Length, or -1 when unknown (chunked or absent)
     */
    BodyTee(long cap, long declaredLength) {
        this.cap = cap;
        this.declaredLength = declaredLength;
    }

    synchronized void append(int b) {
        if (reserve(1)) {
            buffer[count++] = (byte) b;
        }
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        if (length > 0 && reserve(length)) {
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }
    }

    private boolean reserve(int length) {
        if (overflowed || failed || released) {
            return false;
        }
        long needed = (long) count + length;
        if (needed > cap) {
            overflowed = true;
            buffer = null;
            return false;
        }
        if (buffer == null) {
            buffer = new byte[(int) (declaredLength >= needed && declaredLength <= cap ? declaredLength
                    : Math.min(cap, Math.max(needed, FIRST_CHUNK)))];
        } else if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(cap, Math.max(needed, 2L * buffer.length)));
        }
        return true;
    }

    /** The stream reported its end. */
    synchronized void ended() {
        ended = true;
    }

    /** Reading failed (typically the client went away): the copy is incomplete for good. */
    synchronized void failed() {
        failed = true;
        buffer = null;
    }

    /** The copy is no longer needed: it was handed over, or the mirror was skipped. */
    synchronized void release() {
        released = true;
        buffer = null;
    }

    /** The largest body kept, in bytes. */
    long cap() {
        return cap;
    }

    /** The Content-Length, 0 for a request that cannot have a body, or -1 when unknown. */
    long declaredLength() {
        return declaredLength;
    }

    synchronized boolean overflowed() {
        return overflowed;
    }

    synchronized boolean hasFailed() {
        return failed;
    }

    /** Whether the end of the body has been seen: the declared length reached, or end of stream. */
    synchronized boolean sawEnd() {
        return ended || (declaredLength >= 0 && count == declaredLength);
    }

    /** Whether every byte of the body has been seen and kept. */
    synchronized boolean complete() {
        // An end before the declared length means the bytes went elsewhere (e.g. form parsing).
        return !overflowed && !failed && !released && (declaredLength >= 0 ? count == declaredLength : ended);
    }

    /** The bytes seen so far (at most the cap). */
    synchronized int size() {
        return count;
    }

    /** The room the copy holds right now, in bytes; never more than the cap. */
    synchronized int capacity() {
        return buffer == null ? 0 : buffer.length;
    }

    /** The body; call only when {@link #complete()}. */
    synchronized byte[] bytes() {
        if (count == 0) {
            return new byte[0];
        }
        return count == buffer.length ? buffer : Arrays.copyOf(buffer, count);
    }
}
