package dev.trafficmirror.servlet;

import dev.trafficmirror.core.integration.PendingMirror;
import java.util.Arrays;

/**
 * A copy of the body bytes the application reads, capped: one byte over the cap and the copy is
 * thrown away (the application still gets every byte; only the mirror gives up).
 *
 * <p>The buffer is allocated on the first byte, small, and grows (doubling) as bytes arrive, never
 * past the declared length or the cap, so that a client cannot make it hold more than it has
 * sent. Every byte of room it holds is first reserved in the mirror's byte budget
 * ({@link PendingMirror#reserveBody}), shared with the copies waiting to be sent: when the budget
 * is spent the copy is given up ({@link #overBudget()}). The buffer is dropped, and its room given
 * back, as soon as the copy cannot be used (over the cap, over the budget, failed read) or has been
 * handed over.
 *
 * <p>Synchronized: an async request's error callback may mark it failed on a container thread
 * while the application reads on its own, and that must never throw into the application's read.
 */
final class BodyTee {

    private static final int FIRST_CHUNK = 8192;

    private final long cap;
    private final long declaredLength;
    private final PendingMirror budget;
    private byte[] buffer;
    /** The room reserved in the budget for the buffer: its length. */
    private long reserved;
    private int count;
    private boolean overflowed;
    private boolean overBudget;
    private boolean failed;
    private boolean ended;
    private boolean released;

    /**
     * @param cap the largest body kept, in bytes
     * @param declaredLength the Content-Length, or -1 when unknown (chunked or absent)
     * @param budget the mirror the copy is for, which grants room for the buffer
     */
    BodyTee(long cap, long declaredLength, PendingMirror budget) {
        this.cap = cap;
        this.declaredLength = declaredLength;
        this.budget = budget;
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
        if (!keeping()) {
            return false;
        }
        long needed = (long) count + length;
        if (needed > cap) {
            overflowed = true;
            drop();
            return false;
        }
        if (buffer == null || needed > buffer.length) {
            int size = grownSize(needed);
            if (!budget.reserveBody(size - reserved)) {
                overBudget = true;
                drop();
                return false;
            }
            reserved = size;
            buffer = buffer == null ? new byte[size] : Arrays.copyOf(buffer, size);
        }
        return true;
    }

    /** Doubling from a small first chunk, never past the declared length (when known) or the cap. */
    private int grownSize(long needed) {
        long limit = declaredLength >= needed && declaredLength <= cap ? declaredLength : cap;
        long size = buffer == null ? Math.max(needed, FIRST_CHUNK) : Math.max(needed, 2L * buffer.length);
        return (int) Math.min(size, limit);
    }

    /** Whether bytes are still being kept: not over the cap or the budget, not failed, not released. */
    synchronized boolean keeping() {
        return !overflowed && !overBudget && !failed && !released;
    }

    private void drop() {
        buffer = null;
        budget.releaseBody(reserved);
        reserved = 0;
    }

    /** The stream reported its end. */
    synchronized void ended() {
        ended = true;
    }

    /** Reading failed (typically the client went away): the copy is incomplete for good. */
    synchronized void failed() {
        failed = true;
        drop();
    }

    /** The copy is no longer needed: it was handed over, or the mirror was skipped. */
    synchronized void release() {
        released = true;
        drop();
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

    /** The mirror's byte budget had no room for more of the copy: it was given up. */
    synchronized boolean overBudget() {
        return overBudget;
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
        return keeping() && (declaredLength >= 0 ? count == declaredLength : ended);
    }

    /** The bytes seen so far (at most the cap). */
    synchronized int size() {
        return count;
    }

    /** The room the copy holds right now, in bytes; never more than the cap or than it reserved. */
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
