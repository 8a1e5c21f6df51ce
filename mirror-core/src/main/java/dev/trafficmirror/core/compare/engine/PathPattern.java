package dev.trafficmirror.core.compare.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON path pattern naming fields to ignore or arrays to compare unordered:
 * {@code $.a.b} (a field), {@code $.items[2]} (an element), {@code $.items[*].id} (a field of every
 * element), {@code $.*} (every field of an object), {@code $..timestamp} (a field at any depth),
 * {@code $['odd.key']} (a key that is not a plain name).
 */
public final class PathPattern {

    private enum Type { KEY, ANY_KEY, INDEX, ANY_INDEX, DESCENDANTS }

    private record Token(Type type, String key, int index) {
    }

    private final String text;
    private final Token[] tokens;

    private PathPattern(String text, Token[] tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException naming the problem, if {@code text} is not a pattern
     */
    public static PathPattern parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("'" + text + "' must start with $");
        }
        List<Token> tokens = new ArrayList<>();
        int at = 1;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '.' && at + 1 < text.length() && text.charAt(at + 1) == '.') {
                tokens.add(new Token(Type.DESCENDANTS, null, -1));
                at += 2;
                if (at >= text.length()) {
                    throw new IllegalArgumentException("'" + text + "' ends with '..'; name what to look for below it");
                }
                if (text.charAt(at) != '[') {
                    at = name(text, at, tokens);
                }
            } else if (c == '.') {
                at = name(text, at + 1, tokens);
            } else if (c == '[') {
                at = bracket(text, at, tokens);
            } else {
                throw new IllegalArgumentException("'" + text + "' has '" + c + "' at " + at + " where '.' or '[' belongs");
            }
        }
        return new PathPattern(text, tokens.toArray(new Token[0]));
    }

    private static int name(String text, int from, List<Token> tokens) {
        int end = from;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
            end++;
        }
        if (end == from) {
            throw new IllegalArgumentException("'" + text + "' has an empty name at " + from);
        }
        String name = text.substring(from, end);
        tokens.add(name.equals("*") ? new Token(Type.ANY_KEY, null, -1) : new Token(Type.KEY, name, -1));
        return end;
    }

    private static int bracket(String text, int from, List<Token> tokens) {
        int close;
        char quote = from + 1 < text.length() ? text.charAt(from + 1) : 0;
        if (quote == '\'' || quote == '"') {
            StringBuilder key = new StringBuilder();
            int at = from + 2;
            while (at < text.length() && text.charAt(at) != quote) {
                char c = text.charAt(at);
                if (c == '\\' && at + 1 < text.length()) {
                    c = text.charAt(++at);
                }
                key.append(c);
                at++;
            }
            if (at + 1 >= text.length() || text.charAt(at + 1) != ']') {
                throw new IllegalArgumentException("'" + text + "' has an unclosed ['...'] at " + from);
            }
            tokens.add(new Token(Type.KEY, key.toString(), -1));
            return at + 2;
        }
        close = text.indexOf(']', from);
        if (close < 0) {
            throw new IllegalArgumentException("'" + text + "' has an unclosed [ at " + from);
        }
        String inside = text.substring(from + 1, close);
        if (inside.equals("*")) {
            tokens.add(new Token(Type.ANY_INDEX, null, -1));
        } else if (inside.matches("\\d{1,9}")) {
            tokens.add(new Token(Type.INDEX, null, Integer.parseInt(inside)));
        } else {
            throw new IllegalArgumentException("'" + text + "' has [" + inside + "]; use [2], [*] or ['key']");
        }
        return close + 1;
    }

    boolean matches(FieldPath path) {
        return matches(0, path.segments(), 0);
    }

    /**
     * Whether the pattern names the value at {@code segments} from the root: a {@code String} for
     * each key, an {@code Integer} for each array index. For redaction, which walks documents of
     * its own.
     */
    public boolean matches(Object[] segments) {
        return matches(0, segments, 0);
    }

    private boolean matches(int token, Object[] segments, int segment) {
        if (token == tokens.length) {
            return segment == segments.length;
        }
        Token t = tokens[token];
        if (t.type == Type.DESCENDANTS) {
            for (int next = segment; next <= segments.length; next++) {
                if (matches(token + 1, segments, next)) {
                    return true;
                }
            }
            return false;
        }
        if (segment == segments.length) {
            return false;
        }
        Object s = segments[segment];
        boolean fits = switch (t.type) {
            case KEY -> t.key.equals(s);
            case ANY_KEY -> s instanceof String;
            case INDEX -> s instanceof Integer i && i == t.index;
            case ANY_INDEX -> s instanceof Integer;
            case DESCENDANTS -> throw new AssertionError();
        };
        return fits && matches(token + 1, segments, segment + 1);
    }

    /** Each of the patterns, parsed; they were checked when the options were built. */
    static List<PathPattern> parseAll(List<String> patterns) {
        return patterns.stream().map(PathPattern::parse).toList();
    }

    static boolean anyMatches(List<PathPattern> patterns, FieldPath path) {
        if (patterns.isEmpty()) {
            return false;
        }
        Object[] segments = path.segments();
        for (PathPattern pattern : patterns) {
            if (pattern.matches(0, segments, 0)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
