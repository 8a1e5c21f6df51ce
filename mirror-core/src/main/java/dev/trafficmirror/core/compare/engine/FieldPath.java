package dev.trafficmirror.core.compare.engine;

import java.util.regex.Pattern;

/**
 * Where a JSON value sits, as an immutable chain from the root: cheap to extend while walking a
 * document, written out only when a difference is reported.
 */
final class FieldPath {

    static final FieldPath ROOT = new FieldPath(null, null, -1);

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    private final FieldPath parent;
    private final String key;
    private final int index;
    private final int depth;

    private FieldPath(FieldPath parent, String key, int index) {
        this.parent = parent;
        this.key = key;
        this.index = index;
        this.depth = parent == null ? 0 : parent.depth + 1;
    }

    FieldPath key(String name) {
        return new FieldPath(this, name, -1);
    }

    FieldPath index(int i) {
        return new FieldPath(this, null, i);
    }

    int depth() {
        return depth;
    }

    /** The segments from the root: a String for a key, an Integer for an index. */
    Object[] segments() {
        Object[] segments = new Object[depth];
        for (FieldPath at = this; at.parent != null; at = at.parent) {
            segments[at.depth - 1] = at.key != null ? at.key : (Object) at.index;
        }
        return segments;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("$");
        for (Object segment : segments()) {
            if (segment instanceof String name) {
                appendKey(text, name);
            } else {
                text.append('[').append(segment).append(']');
            }
        }
        return text.toString();
    }

    static void appendKey(StringBuilder text, String name) {
        if (PLAIN_KEY.matcher(name).matches()) {
            text.append('.').append(name);
        } else {
            text.append("['").append(name.replace("\\", "\\\\").replace("'", "\\'")).append("']");
        }
    }

    /** The path with every array index written {@code [*]}: the same field in every element. */
    static String normalize(String path) {
        return path.startsWith("$") ? INDEX.matcher(path).replaceAll("[*]") : path;
    }

    /**
     * Whether {@code ancestor} is {@code path} itself or a path above it: {@code $.a} is above
     * {@code $.a.b} and {@code $.a[2]}, not above {@code $.ab}.
     */
    static boolean isWithin(String path, String ancestor) {
        if (!path.startsWith(ancestor)) {
            return false;
        }
        if (path.length() == ancestor.length()) {
            return true;
        }
        char next = path.charAt(ancestor.length());
        return ancestor.startsWith("$") && (next == '.' || next == '[');
    }
}
