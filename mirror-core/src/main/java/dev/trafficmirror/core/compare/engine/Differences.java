package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.Difference;

import java.util.ArrayList;
import java.util.List;

/**
 * The differences found in one comparison, collected up to a bound so that two huge, entirely
 * different documents cost bounded memory; the count goes on past the bound.
 */
final class Differences {

    /** Enough to leave room for noise to be taken out and still report {@link Comparison#MAX_DIFFERENCES}. */
    static final int MAX_COLLECTED = 1000;

    private static final int MAX_VALUE_LENGTH = 120;

    private final List<Difference> found = new ArrayList<>();
    private int count;

    void changed(String path, String primary, String shadow) {
        add(new Difference(path, Difference.Kind.CHANGED, abbreviate(primary), abbreviate(shadow)));
    }

    void added(String path, String shadow) {
        add(new Difference(path, Difference.Kind.ADDED, null, abbreviate(shadow)));
    }

    void removed(String path, String primary) {
        add(new Difference(path, Difference.Kind.REMOVED, abbreviate(primary), null));
    }

    private void add(Difference difference) {
        count++;
        if (found.size() < MAX_COLLECTED) {
            found.add(difference);
        }
    }

    /** Whether collecting more is pointless: the bound is reached. */
    boolean full() {
        return found.size() >= MAX_COLLECTED;
    }

    List<Difference> list() {
        return found;
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    static String abbreviate(String value) {
        if (value == null || value.length() <= MAX_VALUE_LENGTH) {
            return value;
        }
        return value.substring(0, MAX_VALUE_LENGTH - 3) + "...";
    }
}
