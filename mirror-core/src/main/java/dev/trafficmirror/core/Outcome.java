package dev.trafficmirror.core;

import java.util.Locale;

/**
 * What became of one mirrored copy of a request for one target: the {@code outcome} tag of the
 * {@code mirror.requests} counter.
 */
public enum Outcome {
    /** The shadow answered, whatever its status code. */
    COMPLETED,
    /**
     * No answer came back: timeout, refused connection, reset, TLS error, or an unexpected error
     * before or while sending.
     */
    FAILED,
    /** The copy was wanted but there was no room for it (queue, memory budget, shutdown). */
    DROPPED,
    /** The copy was deliberately not made (sampling, loop guard, body over the cap...). */
    SKIPPED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code outcome} metric tag. */
    public String tag() {
        return tag;
    }
}
