package dev.trafficmirror.core.compare;

import java.util.Objects;

/**
 * One place where a shadow's answer differs from the primary's.
 *
 * <p>The path says where: {@code status}, {@code header:content-type} (header names in lower case),
 * a JSON path such as {@code $.items[3].price} (keys that are not plain names are written
 * {@code $['a.b']}), or {@code body} when bodies are compared as bytes.
 *
 * @param path where the answers differ
 * @param kind whether the value changed, or exists on one side only
 * @param primary the primary's value (JSON text, header value, status or a body excerpt), abbreviated;
 *     {@code null} when the shadow added it
 * @param shadow the shadow's value, abbreviated; {@code null} when the shadow lacks it
 */
public record Difference(String path, Kind kind, String primary, String shadow) {

    /** What kind of difference it is, seen from the shadow. */
    public enum Kind {
        /** Both have it, with different values. */
        CHANGED,
        /** Only the shadow has it. */
        ADDED,
        /** Only the primary has it: the shadow lacks it. */
        REMOVED
    }

    /** Validates the path and kind. */
    public Difference {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
    }

    /** Where and how the answers differ, without the values (which are response data). */
    public String where() {
        return switch (kind) {
            case CHANGED -> path + " changed";
            case ADDED -> path + " added";
            case REMOVED -> path + " removed";
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CHANGED -> path + " changed: " + primary + " -> " + shadow;
            case ADDED -> path + " added: " + shadow;
            case REMOVED -> path + " removed (was " + primary + ")";
        };
    }
}
