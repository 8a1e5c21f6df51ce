package dev.trafficmirror.core.compare.engine;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads a JSON document with Jackson 3's streaming parser ({@code tools.jackson.core:jackson-core}).
 * Loaded only when {@link JsonReading} found Jackson 3 on the class path.
 */
final class Jackson3Reader {

    /** Jackson's limits on numbers and strings, and the nesting depth both readers allow. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonReading.MAX_DEPTH).build())
            .build();

    private Jackson3Reader() {
    }

    /** The document, or {@code null} when the bytes are not one JSON value. */
    static JsonValue read(byte[] bytes, int length) {
        JsonTreeBuilder tree = new JsonTreeBuilder();
        // No databind, so an empty read context: createParser(byte[], int, int) is deprecated in 3.1.
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), bytes, 0, length)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> tree.startObject();
                    case START_ARRAY -> tree.startArray();
                    case END_OBJECT, END_ARRAY -> tree.end();
                    case PROPERTY_NAME -> tree.key(parser.currentName());
                    case VALUE_STRING -> tree.string(parser.getString());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> tree.number(parser.getString());
                    case VALUE_TRUE -> tree.literal(JsonValue.Literal.TRUE);
                    case VALUE_FALSE -> tree.literal(JsonValue.Literal.FALSE);
                    case VALUE_NULL -> tree.literal(JsonValue.Literal.NULL);
                    default -> {
                        return null;
                    }
                }
            }
            return tree.result();
        } catch (JacksonException | IllegalStateException | NumberFormatException e) {
            return null;
        }
    }
}
