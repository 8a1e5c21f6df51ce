package dev.trafficmirror.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path pattern as Spring users write them: {@code ?} matches one character, {@code *} any
 * characters within a segment, {@code {name}} a path variable (e.g. {@code /pay/{id}/capture}): a
 * whole segment, never an empty one, or as part of a segment ({@code /files/{name}.json}) any
 * characters, as Spring MVC matches them; {@code **} any number of whole segments, and
 * {@code {*rest}}, as the last segment, the remaining segments. Matched segment by segment, so
 * repeated and trailing slashes do not matter ({@code /api/**} matches {@code /api}, {@code /api/}
 * and {@code /api/a/b}).
 *
 * <p>What it cannot honour exactly is refused when it is compiled rather than matched literally: a
 * regular expression in a variable ({@code {id:\d+}}), an unbalanced brace, an unnamed variable. An
 * exclusion that silently matched nothing would mirror what its owner meant to keep away.
 */
final class AntPattern {

    private static final String ANY_SEGMENTS = "**";
    /** A variable that is a whole segment: one or more characters, as in Spring MVC. */
    private static final String SEGMENT_VARIABLE = "?*";
    /** A variable that is part of a segment: any characters, as in Spring MVC. */
    private static final String PART_VARIABLE = "*";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern BRACES = Pattern.compile("\\{([^{}]*)}");

    private final String pattern;
    private final String[] segments;

    private AntPattern(String pattern, String[] segments) {
        this.pattern = pattern;
        this.segments = segments;
    }

    /**
     * @throws IllegalArgumentException if the pattern does not start with {@code /} or uses syntax
     *     that is not supported, saying which
     */
    static AntPattern compile(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("path pattern '" + pattern + "' must start with /");
        }
        String[] raw = segments(pattern);
        String[] compiled = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            compiled[i] = segment(pattern, raw[i], i == raw.length - 1);
        }
        return new AntPattern(pattern, compiled);
    }

    /** One segment of the pattern in the form {@link #glob} matches: variables as wildcards. */
    private static String segment(String pattern, String segment, boolean last) {
        if (segment.contains(ANY_SEGMENTS) && !segment.equals(ANY_SEGMENTS)) {
            throw new IllegalArgumentException("path pattern '" + pattern + "': ** must be a whole segment");
        }
        if (segment.startsWith("{*")) {
            if (!segment.endsWith("}") || !NAME.matcher(segment.substring(2, segment.length() - 1)).matches()) {
                throw new IllegalArgumentException("path pattern '" + pattern + "': '" + segment
                        + "' is not a variable for the rest of the path; write it as {*rest}");
            }
            if (!last) {
                throw new IllegalArgumentException("path pattern '" + pattern + "': " + segment
                        + " takes the rest of the path, so it must be the last segment");
            }
            return ANY_SEGMENTS;
        }
        StringBuilder glob = new StringBuilder();
        Matcher variable = BRACES.matcher(segment);
        int at = 0;
        while (variable.find()) {
            glob.append(literal(pattern, segment.substring(at, variable.start())));
            String name = variable.group(1);
            if (name.contains(":")) {
                throw new IllegalArgumentException("path pattern '" + pattern + "': " + variable.group()
                        + " is a regular expression, which path patterns do not support; use {"
                        + name.substring(0, name.indexOf(':')) + "} for any one segment, or list the paths");
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("path pattern '" + pattern + "': '" + variable.group()
                        + "' is not a variable; name it with letters, digits and _, e.g. {id}");
            }
            boolean whole = variable.start() == 0 && variable.end() == segment.length();
            glob.append(whole ? SEGMENT_VARIABLE : PART_VARIABLE);
            at = variable.end();
        }
        return glob.append(literal(pattern, segment.substring(at))).toString();
    }

    private static String literal(String pattern, String text) {
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw new IllegalArgumentException("path pattern '" + pattern + "' has an unbalanced brace: variables"
                    + " are written {id} (one segment) or {*rest} (the rest of the path)");
        }
        return text;
    }

    boolean matches(String path) {
        String[] parts = segments(path);
        // The path positions the pattern so far can end at: linear in the pattern's segments times
        // the path's, however many ** there are, so no path can make matching slow.
        BitSet reach = new BitSet(parts.length + 1);
        reach.set(0);
        for (String segment : segments) {
            if (reach.isEmpty()) {
                return false;
            }
            if (segment.equals(ANY_SEGMENTS)) {
                reach.set(reach.nextSetBit(0), parts.length + 1);
                continue;
            }
            BitSet next = new BitSet(parts.length + 1);
            for (int at = reach.nextSetBit(0); at >= 0 && at < parts.length; at = reach.nextSetBit(at + 1)) {
                if (glob(segment, parts[at])) {
                    next.set(at + 1);
                }
            }
            reach = next;
        }
        return reach.get(parts.length);
    }

    /** {@code ?} and {@code *} within one segment, iteratively with one backtrack point. */
    private static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static String[] segments(String path) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    segments.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        return segments.toArray(new String[0]);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
