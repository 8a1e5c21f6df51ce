package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.JsonComparison;

/**
 * Reads a body into a {@link JsonValue} with the Jackson {@link JsonComparison#available()} found:
 * the one place that chooses. Each reader class is loaded only when its Jackson is there.
 */
final class JsonReading {

    static final JsonComparison AVAILABLE = JsonComparison.available();

    /**
     * How deeply a document may nest, with either Jackson: Jackson 3's default (Jackson 2's is 1000),
     * so that both read the same documents. A deeper body is compared as a whole.
     */
    static final int MAX_DEPTH = 500;

    private JsonReading() {
    }

    /** The document, or {@code null} when the bytes are not one JSON value, or no Jackson can read them. */
    static JsonValue read(byte[] bytes, int length) {
        return switch (AVAILABLE) {
            case JACKSON_3 -> Jackson3Reader.read(bytes, length);
            case JACKSON_2 -> Jackson2Reader.read(bytes, length);
            case WHOLE_BODIES -> null;
        };
    }
}
