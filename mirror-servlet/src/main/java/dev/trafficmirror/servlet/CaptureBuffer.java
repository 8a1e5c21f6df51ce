package dev.trafficmirror.servlet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The primary's answer body as the application writes it, capped: past the cap nothing more is kept
 * (a body that large is not compared). Bytes go into blocks that are never copied again: no
 * growing and copying as the body grows, and the blocks are handed over as they are and joined on a
 * mirror thread, so the request thread pays for exactly one copy of each byte.
 *
 * <p>Unlike the request's {@link BodyTee}, it is cleared when the application resets the response.
 * Written on whichever thread the application writes on and read once the answer is complete,
 * hence synchronized.
 */
final class CaptureBuffer {

    private static final int FIRST_BLOCK = 1024;
    private static final int LARGEST_BLOCK = 16 * 1024;

    private final int cap;
    private final List<byte[]> blocks = new ArrayList<>(4);
    private byte[] current;
    private int used;
    private int allocated;
    private int count;
    private boolean overflowed;

    CaptureBuffer(int cap) {
        this.cap = cap;
    }

    synchronized void append(int b) {
        if (reserve(1)) {
            if (current == null || used == current.length) {
                nextBlock();
            }
            current[used++] = (byte) b;
        }
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        if (!reserve(length)) {
            return;
        }
        int at = offset;
        int left = length;
        while (left > 0) {
            if (current == null || used == current.length) {
                nextBlock();
            }
            int n = Math.min(left, current.length - used);
            System.arraycopy(bytes, at, current, used, n);
            used += n;
            at += n;
            left -= n;
        }
    }

    private boolean reserve(int length) {
        if (overflowed) {
            return false;
        }
        if ((long) count + length > cap) {
            overflowed = true;
            blocks.clear();
            current = null;
            return false;
        }
        count += length;
        return true;
    }

    /** Blocks double in size up to a bound, and never reach past the cap. */
    private void nextBlock() {
        int size = Math.min(cap - allocated, Math.min(LARGEST_BLOCK, Math.max(FIRST_BLOCK, allocated)));
        current = new byte[size];
        blocks.add(current);
        allocated += size;
        used = 0;
    }

    /** Whether the body grew past the cap. */
    synchronized boolean overflowed() {
        return overflowed;
    }

    /** Forgets everything: the application reset the response before it was committed. */
    synchronized void clear() {
        blocks.clear();
        current = null;
        used = 0;
        allocated = 0;
        count = 0;
        overflowed = false;
    }

    /** The bytes so far, as views of the blocks, not copied: they must not be written. */
    synchronized List<ByteBuffer> parts() {
        List<ByteBuffer> parts = new ArrayList<>(blocks.size());
        for (byte[] block : blocks) {
            parts.add(ByteBuffer.wrap(block, 0, block == current ? used : block.length));
        }
        return parts;
    }

    synchronized int size() {
        return count;
    }

    int cap() {
        return cap;
    }
}
