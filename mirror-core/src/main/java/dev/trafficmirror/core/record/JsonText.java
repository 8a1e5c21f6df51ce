package dev.trafficmirror.core.record;

/**
 * Writes JSON text by hand, so that recording needs no JSON library: strings escaped as RFC 8259
 * says, and, so that every line is valid UTF-8 and safe to embed, lone surrogates, U+2028 and U+2029
 * escaped too.
 */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    /** Whether the next member or element needs a comma before it. */
    private boolean comma;

    JsonText(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    JsonText beginObject() {
        separate();
        out.append('{');
        comma = false;
        return this;
    }

    JsonText endObject() {
        out.append('}');
        comma = true;
        return this;
    }

    JsonText beginArray() {
        separate();
        out.append('[');
        comma = false;
        return this;
    }

    JsonText endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** A member's name; its value follows. */
    JsonText name(String name) {
        separate();
        string(name);
        out.append(':');
        comma = false;
        return this;
    }

    JsonText value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        comma = true;
        return this;
    }

    /** A number already written as JSON writes it. */
    JsonText number(String json) {
        separate();
        out.append(json);
        comma = true;
        return this;
    }

    JsonText value(long value) {
        return number(Long.toString(value));
    }

    JsonText member(String name, String value) {
        return name(name).value(value);
    }

    JsonText member(String name, long value) {
        return name(name).value(value);
    }

    private void separate() {
        if (comma) {
            out.append(',');
        }
    }

    private void string(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        escape(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        escape(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void escape(char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
