package dev.trafficmirror.core.compare.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one {@link JsonValue} from a streaming parser's tokens, so that each Jackson's reader is
 * only a loop over its tokens. Without recursion: a document is as deep as the parser allows. One
 * document only: a second root value (trailing tokens) is refused.
 */
final class JsonTreeBuilder {

    /** An object or array being read, and in an object the key whose value comes next. */
    private static final class Open {
        final Map<String, JsonValue> fields;
        final List<JsonValue> elements;
        String key;

        Open(boolean object) {
            this.fields = object ? new LinkedHashMap<>() : null;
            this.elements = object ? null : new ArrayList<>();
        }
    }

    private final Deque<Open> open = new ArrayDeque<>();
    private JsonValue root;

    void startObject() {
        beforeValue();
        open.push(new Open(true));
    }

    void startArray() {
        beforeValue();
        open.push(new Open(false));
    }

    /** Ends the innermost object or array. */
    void end() {
        Open closed = open.pop();
        value(closed.fields != null ? new JsonValue.Obj(closed.fields) : new JsonValue.Arr(closed.elements));
    }

    void key(String key) {
        Open object = open.peek();
        if (object == null || object.fields == null || object.key != null) {
            throw new IllegalStateException("a key outside an object");
        }
        object.key = key;
    }

    void string(String value) {
        value(new JsonValue.Str(value));
    }

    /** @throws NumberFormatException if the parser's text is no number */
    void number(String text) {
        value(JsonValue.Num.of(text));
    }

    void literal(JsonValue.Literal literal) {
        value(literal);
    }

    /** The document, or {@code null} when it has not ended (or never began). */
    JsonValue result() {
        return open.isEmpty() ? root : null;
    }

    private void beforeValue() {
        if (open.isEmpty() && root != null) {
            throw new IllegalStateException("more than one JSON value");
        }
    }

    private void value(JsonValue value) {
        Open parent = open.peek();
        if (parent == null) {
            beforeValue();
            root = value;
        } else if (parent.fields != null) {
            if (parent.key == null) {
                throw new IllegalStateException("a value without a key");
            }
            parent.fields.put(parent.key, value);
            parent.key = null;
        } else {
            parent.elements.add(value);
        }
    }
}
