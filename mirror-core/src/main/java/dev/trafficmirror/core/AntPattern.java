package dev.trafficmirror.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * An Ant-style path pattern: {@code ?} matches one character, {@code *} any characters within a
 * segment, {@code **} any number of whole segments. Matched segment by segment, so repeated and
 * trailing slashes do not matter ({@code /api/**} matches {@code /api}, {@code /api/} and
 * {@code /api/a/b}).
 */
final class AntPattern {

    private static final String ANY_SEGMENTS = "**";

    private final String pattern;
    private final String[] segments;

    private AntPattern(String pattern, String[] segments) {
        this.pattern = pattern;
        this.segments = segments;
    }

    /** @throws IllegalArgumentException if the pattern does not start with {@code /} */
    static AntPattern compile(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("path pattern '" + pattern + "' must start with /");
        }
        for (String segment : segments(pattern)) {
            if (segment.contains(ANY_SEGMENTS) && !segment.equals(ANY_SEGMENTS)) {
                throw new IllegalArgumentException("path pattern '" + pattern + "': ** must be a whole segment");
            }
        }
        return new AntPattern(pattern, segments(pattern));
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
