package dev.trafficmirror.core.compare.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;

/**
 * Reads a JSON document with Jackson 2's streaming parser ({@code com.fasterxml.jackson.core:jackson-core}).
 * Loaded only when {@link JsonReading} found Jackson 2, and no Jackson 3, on the class path.
 */
final class Jackson2Reader {

    /** Jackson's limits on numbers and strings (2.15 on), and the nesting depth both readers allow. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonReading.MAX_DEPTH).build())
            .build();

    private Jackson2Reader() {
    }

    /** The document, or {@code null} when the bytes are not one JSON value. */
    static JsonValue read(byte[] bytes, int length) {
        JsonTreeBuilder tree = new JsonTreeBuilder();
        try (JsonParser parser = FACTORY.createParser(bytes, 0, length)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> tree.startObject();
                    case START_ARRAY -> tree.startArray();
                    case END_OBJECT, END_ARRAY -> tree.end();
                    // getText() is the key of a FIELD_NAME, in every Jackson 2.
                    case FIELD_NAME -> tree.key(parser.getText());
                    case VALUE_STRING -> tree.string(parser.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> tree.number(parser.getText());
                    case VALUE_TRUE -> tree.literal(JsonValue.Literal.TRUE);
                    case VALUE_FALSE -> tree.literal(JsonValue.Literal.FALSE);
                    case VALUE_NULL -> tree.literal(JsonValue.Literal.NULL);
                    default -> {
                        return null;
                    }
                }
            }
            return tree.result();
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            return null;
        }
    }
}
