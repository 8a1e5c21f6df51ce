package dev.trafficmirror.core.compare;

import java.util.Locale;

/** How a shadow's answer compared with the primary's: the {@code result} tag of {@code mirror.compare}. */
public enum ComparisonResult {
    /** Status, headers and body agree, once ignored headers, ignored paths and noise are set aside. */
    MATCH,
    /** At least one difference remains to be reported. */
    MISMATCH,
    /**
     * The answers could not be compared fairly: a body was larger than the capture limit, or the
     * primary's body could not be captured, or was encoded in a way that is not decoded. Never a
     * mismatch: a status or header difference found alongside still makes it one.
     */
    NOT_COMPARABLE,
    /** The comparison itself failed unexpectedly. */
    ERROR,
    /**
     * Not compared: comparisons were behind, their queue full, and this one was left out rather than
     * waited for. The copy was answered all the same (it counts as completed).
     */
    SKIPPED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code result} metric tag. */
    public String tag() {
        return tag;
    }
}
