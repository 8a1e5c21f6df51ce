package dev.trafficmirror.core.compare;

import java.util.Locale;

/**
 * How JSON bodies are compared, which depends on the Jackson on the class path (an optional
 * dependency: trafficmirror brings none). Jackson only reads the bodies; the comparison itself is
 * trafficmirror's, the same with either Jackson.
 *
 * <p>With both on the class path (common on Spring Boot 4.1, where libraries still bring Jackson 2)
 * Jackson 3 reads them: it is the one Spring Boot 4.1 manages and configures, always recent, while
 * a Jackson 2 beside it is whatever version some other library pulled in.
 */
public enum JsonComparison {

    /** Field by field, read with Jackson 3 ({@code tools.jackson.core:jackson-core}, which jackson-databind brings). */
    JACKSON_3,

    /** Field by field, read with Jackson 2 ({@code com.fasterxml.jackson.core:jackson-core} 2.15 or later). */
    JACKSON_2,

    /**
     * Neither Jackson on the class path: JSON bodies are compared as whole bodies, byte for byte, like
     * any other body. A difference is one {@code body} that {@code changed}, with no field paths; a
     * reordered key or other spacing is a mismatch; ignored paths and unordered arrays cannot apply
     * (a mirror that sets them and compares fails to build).
     */
    WHOLE_BODIES;

    /** What a start-up warning says of {@link #WHOLE_BODIES}: what comparison loses, and what to add. */
    public static final String WHOLE_BODIES_WARNING = "neither Jackson 3 (tools.jackson.core) nor Jackson 2"
            + " (com.fasterxml.jackson.core) is on the class path, so JSON bodies are compared as whole bodies, byte for"
            + " byte: every difference is one 'body changed' with no field paths, a reordered key or other spacing is a"
            + " mismatch, and ignored paths and unordered arrays cannot apply. For field-by-field comparison add"
            + " tools.jackson.core:jackson-databind (Jackson 3) or com.fasterxml.jackson.core:jackson-databind 2.15 or"
            + " later (Jackson 2); jackson-core alone is enough";

    private static final JsonComparison AVAILABLE = detect();

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** How this class path compares JSON bodies: Jackson 3 when present, else Jackson 2, else whole bodies. */
    public static JsonComparison available() {
        return AVAILABLE;
    }

    /** Whether JSON bodies are compared field by field. */
    public boolean byField() {
        return this != WHOLE_BODIES;
    }

    /** The value the {@code mirror} endpoint shows: {@code jackson_3}, {@code jackson_2} or {@code whole_bodies}. */
    public String tag() {
        return tag;
    }

    private static JsonComparison detect() {
        return present("tools.jackson.core.json.JsonFactory") ? JACKSON_3
                // Added in 2.15: an older Jackson 2 is not used.
                : present("com.fasterxml.jackson.core.StreamReadConstraints") ? JACKSON_2
                : WHOLE_BODIES;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, JsonComparison.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
