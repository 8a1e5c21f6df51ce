package dev.trafficmirror.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The last few failures of one target, oldest overwritten first, so that memory stays bounded
 * however long a target keeps failing. Written by the thread that sent the copy (a sender thread
 * or the I/O thread), after a failure.
 */
final class RecentFailures {

    /** Enough to see a pattern, small enough to show on one screen. */
    static final int CAPACITY = 10;

    private final MirrorFailure[] ring = new MirrorFailure[CAPACITY];
    private int next;
    private int size;

    synchronized void add(MirrorFailure failure) {
        ring[next] = failure;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    /** The failures kept, newest first. */
    synchronized List<MirrorFailure> newestFirst() {
        List<MirrorFailure> failures = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            failures.add(ring[Math.floorMod(next - i, CAPACITY)]);
        }
        return failures;
    }
}
