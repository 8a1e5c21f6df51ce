package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.Comparison;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The last mismatches, bounded in count; each one is bounded too (see {@link Comparison#MAX_DIFFERENCES}). */
final class RecentMismatches {

    private final int capacity;
    private final ArrayDeque<Comparison> kept;

    RecentMismatches(int capacity) {
        this.capacity = capacity;
        this.kept = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    synchronized void add(Comparison mismatch) {
        if (capacity == 0) {
            return;
        }
        if (kept.size() == capacity) {
            kept.removeFirst();
        }
        kept.addLast(mismatch);
    }

    /** Newest first. */
    synchronized List<Comparison> list() {
        List<Comparison> newestFirst = new ArrayList<>(kept.size());
        for (Iterator<Comparison> it = kept.descendingIterator(); it.hasNext(); ) {
            newestFirst.add(it.next());
        }
        return newestFirst;
    }
}
