package dev.trafficmirror.servlet;

import java.util.Arrays;

/**
 * The primary's answer body as the application writes it, capped: past the cap nothing more is kept
 * (a body that large is not compared). Unlike the request's {@link BodyTee}, it is cleared when the
 * application resets the response, and it is handed over without trimming, so the request thread
 * pays for one copy of the bytes and no more. Written by whichever thread the application writes
 * on and read once the answer is complete, hence synchronized.
 */
final class CaptureBuffer {

    private static final int INITIAL_CAPACITY = 512;

    private final int cap;
    private byte[] buffer;
    private int count;
    private boolean overflowed;

    CaptureBuffer(int cap) {
        this.cap = cap;
    }

    synchronized void append(int b) {
        if (reserve(1)) {
            buffer[count++] = (byte) b;
        }
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        if (reserve(length)) {
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }
    }

    private boolean reserve(int length) {
        if (overflowed) {
            return false;
        }
        long needed = (long) count + length;
        if (needed > cap) {
            overflowed = true;
            buffer = null;
            return false;
        }
        if (buffer == null || needed > buffer.length) {
            int current = buffer == null ? 0 : buffer.length;
            int grown = (int) Math.min(cap, Math.max(needed, Math.max(INITIAL_CAPACITY, 2L * current)));
            buffer = buffer == null ? new byte[grown] : Arrays.copyOf(buffer, grown);
        }
        return true;
    }

    /** Whether the body grew past the cap. */
    synchronized boolean overflowed() {
        return overflowed;
    }

    /** Forgets everything: the application reset the response before it was committed. */
    synchronized void clear() {
        buffer = null;
        count = 0;
        overflowed = false;
    }

    /** The bytes so far, not copied: the array is longer than {@link #size()} and must not be written. */
    synchronized byte[] array() {
        return buffer == null ? new byte[0] : buffer;
    }

    synchronized int size() {
        return count;
    }

    int cap() {
        return cap;
    }
}
