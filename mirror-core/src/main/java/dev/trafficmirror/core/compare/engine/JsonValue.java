package dev.trafficmirror.core.compare.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON value as {@link JsonDiff} compares it, whichever Jackson read it ({@link JsonReading}):
 * the diff knows these five kinds and nothing of Jackson. Objects keep their keys in the order
 * written (the last of two equal keys wins, as with Jackson's trees), numbers their text as
 * written beside their value. {@link #toString()} writes the value as compact JSON, as differences
 * show it.
 */
sealed interface JsonValue permits JsonValue.Obj, JsonValue.Arr, JsonValue.Num, JsonValue.Str, JsonValue.Literal {

    /** An object; its map iterates in the order the keys were written. */
    record Obj(Map<String, JsonValue> fields) implements JsonValue {
        @Override
        public String toString() {
            return JsonValue.write(this, new StringBuilder()).toString();
        }
    }

    record Arr(List<JsonValue> elements) implements JsonValue {
        @Override
        public String toString() {
            return JsonValue.write(this, new StringBuilder()).toString();
        }
    }

    /**
     * A number: {@code text} as written ({@code 4.50}, {@code 1e3}), so that differences show it so;
     * compared by {@code value}.
     */
    record Num(String text, BigDecimal value) implements JsonValue {
        /** @throws NumberFormatException if {@code text} is no number (or its exponent is beyond an int) */
        static Num of(String text) {
            return new Num(text, new BigDecimal(text));
        }

        @Override
        public String toString() {
            return text;
        }
    }

    record Str(String value) implements JsonValue {
        @Override
        public String toString() {
            return JsonValue.write(this, new StringBuilder()).toString();
        }
    }

    /** {@code true}, {@code false} and {@code null}. */
    enum Literal implements JsonValue {
        TRUE, FALSE, NULL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Appends {@code value} as compact JSON: strings quoted and escaped as RFC 8259 says. */
    static StringBuilder write(JsonValue value, StringBuilder out) {
        if (value instanceof Obj object) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> field : object.fields().entrySet()) {
                out.append(first ? "" : ",");
                quote(field.getKey(), out).append(':');
                write(field.getValue(), out);
                first = false;
            }
            return out.append('}');
        }
        if (value instanceof Arr array) {
            out.append('[');
            for (int i = 0; i < array.elements().size(); i++) {
                write(array.elements().get(i), out.append(i == 0 ? "" : ","));
            }
            return out.append(']');
        }
        if (value instanceof Str string) {
            return quote(string.value(), out);
        }
        return out.append(value);
    }

    /** {@code text} as a JSON string: quotes, backslashes and control characters escaped, the rest as is. */
    static StringBuilder quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
