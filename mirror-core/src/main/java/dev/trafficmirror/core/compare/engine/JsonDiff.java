package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.CompareOptions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The structural diff of two JSON documents: object keys in any order, arrays in order unless
 * configured otherwise, numbers by value ({@code 1.0} equals {@code 1}), ignored paths skipped with
 * everything below them.
 *
 * <p>One diff, over {@link JsonValue}s, whichever Jackson read the bodies ({@link JsonReading}); a
 * number keeps its text as written, so that differences show {@code 4.50}, not {@code 4.5}.
 */
final class JsonDiff {

    private final List<PathPattern> ignored;
    private final List<PathPattern> unordered;
    private final Differences out;

    private JsonDiff(CompareOptions options, Differences out) {
        this.ignored = PathPattern.parseAll(options.ignoredPaths());
        this.unordered = PathPattern.parseAll(options.unorderedArrays());
        this.out = out;
    }

    /**
     * Diffs the two bodies into {@code out} when both are JSON.
     *
     * @return {@code false}, with nothing added, when either body does not parse as JSON
     */
    static boolean diff(byte[] primary, int primaryLength, byte[] shadow, int shadowLength, CompareOptions options,
            Differences out) {
        JsonValue p = JsonReading.read(primary, primaryLength);
        JsonValue s = p == null ? null : JsonReading.read(shadow, shadowLength);
        if (s == null) {
            return false;
        }
        JsonDiff diff = new JsonDiff(options, out);
        if (!PathPattern.anyMatches(diff.ignored, FieldPath.ROOT)) {
            diff.compare(p, s, FieldPath.ROOT);
        }
        return true;
    }

    /** Walks on past the bound of collected differences, so that they are all counted. */
    private void compare(JsonValue p, JsonValue s, FieldPath path) {
        if (p instanceof JsonValue.Obj po && s instanceof JsonValue.Obj so) {
            compareObjects(po.fields(), so.fields(), path);
        } else if (p instanceof JsonValue.Arr pa && s instanceof JsonValue.Arr sa) {
            if (PathPattern.anyMatches(unordered, path)) {
                compareBags(pa.elements(), sa.elements(), path);
            } else {
                compareLists(pa.elements(), sa.elements(), path);
            }
        } else if (p instanceof JsonValue.Num pn && s instanceof JsonValue.Num sn) {
            if (pn.value().compareTo(sn.value()) != 0) {
                out.changed(path.toString(), p.toString(), s.toString());
            }
        } else if (!p.equals(s)) {
            out.changed(path.toString(), p.toString(), s.toString());
        }
    }

    private void compareObjects(Map<String, JsonValue> p, Map<String, JsonValue> s, FieldPath path) {
        for (Map.Entry<String, JsonValue> field : p.entrySet()) {
            FieldPath child = path.key(field.getKey());
            if (PathPattern.anyMatches(ignored, child)) {
                continue;
            }
            JsonValue other = s.get(field.getKey());
            if (other == null) {
                out.removed(child.toString(), field.getValue().toString());
            } else {
                compare(field.getValue(), other, child);
            }
        }
        for (Map.Entry<String, JsonValue> field : s.entrySet()) {
            if (!p.containsKey(field.getKey())) {
                FieldPath child = path.key(field.getKey());
                if (!PathPattern.anyMatches(ignored, child)) {
                    out.added(child.toString(), field.getValue().toString());
                }
            }
        }
    }

    private void compareLists(List<JsonValue> p, List<JsonValue> s, FieldPath path) {
        int common = Math.min(p.size(), s.size());
        for (int i = 0; i < common; i++) {
            element(p.get(i), s.get(i), path.index(i));
        }
        for (int i = common; i < p.size(); i++) {
            FieldPath child = path.index(i);
            if (!PathPattern.anyMatches(ignored, child)) {
                out.removed(child.toString(), p.get(i).toString());
            }
        }
        for (int i = common; i < s.size(); i++) {
            FieldPath child = path.index(i);
            if (!PathPattern.anyMatches(ignored, child)) {
                out.added(child.toString(), s.get(i).toString());
            }
        }
    }

    private void element(JsonValue p, JsonValue s, FieldPath child) {
        if (!PathPattern.anyMatches(ignored, child)) {
            compare(p, s, child);
        }
    }

    /**
     * Elements equal in any position (ignored paths aside) pair up first; what is left pairs up in
     * order and is diffed field by field, so a changed element still reports the field that changed.
     */
    private void compareBags(List<JsonValue> p, List<JsonValue> s, FieldPath path) {
        Map<String, Deque<Integer>> shadowByValue = new HashMap<>();
        for (int i = 0; i < s.size(); i++) {
            shadowByValue.computeIfAbsent(canonical(s.get(i), path.index(i)), k -> new ArrayDeque<>()).add(i);
        }
        List<Integer> primaryLeft = new ArrayList<>();
        boolean[] shadowMatched = new boolean[s.size()];
        for (int i = 0; i < p.size(); i++) {
            Deque<Integer> same = shadowByValue.get(canonical(p.get(i), path.index(i)));
            if (same != null && !same.isEmpty()) {
                shadowMatched[same.poll()] = true;
            } else {
                primaryLeft.add(i);
            }
        }
        List<Integer> shadowLeft = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            if (!shadowMatched[i]) {
                shadowLeft.add(i);
            }
        }
        int common = Math.min(primaryLeft.size(), shadowLeft.size());
        for (int k = 0; k < common; k++) {
            int i = primaryLeft.get(k);
            element(p.get(i), s.get(shadowLeft.get(k)), path.index(i));
        }
        for (int k = common; k < primaryLeft.size(); k++) {
            FieldPath child = path.index(primaryLeft.get(k));
            if (!PathPattern.anyMatches(ignored, child)) {
                out.removed(child.toString(), p.get(primaryLeft.get(k)).toString());
            }
        }
        for (int k = common; k < shadowLeft.size(); k++) {
            FieldPath child = path.index(shadowLeft.get(k));
            if (!PathPattern.anyMatches(ignored, child)) {
                out.added(child.toString(), s.get(shadowLeft.get(k)).toString());
            }
        }
    }

    /** A text equal for values the diff finds equal: keys sorted, numbers by value, ignored paths left out. */
    private String canonical(JsonValue node, FieldPath path) {
        StringBuilder text = new StringBuilder();
        canonical(node, path, text);
        return text.toString();
    }

    private void canonical(JsonValue node, FieldPath path, StringBuilder text) {
        if (node instanceof JsonValue.Obj object) {
            Map<String, JsonValue> sorted = new TreeMap<>(object.fields());
            text.append('{');
            for (Map.Entry<String, JsonValue> field : sorted.entrySet()) {
                FieldPath child = path.key(field.getKey());
                if (!PathPattern.anyMatches(ignored, child)) {
                    JsonValue.quote(field.getKey(), text).append(':');
                    canonical(field.getValue(), child, text);
                    text.append(',');
                }
            }
            text.append('}');
        } else if (node instanceof JsonValue.Arr array) {
            List<JsonValue> values = array.elements();
            List<String> elements = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                FieldPath child = path.index(i);
                if (!PathPattern.anyMatches(ignored, child)) {
                    elements.add(canonical(values.get(i), child));
                }
            }
            if (PathPattern.anyMatches(unordered, path)) {
                elements.sort(null);
            }
            text.append('[').append(String.join(",", elements)).append(']');
        } else if (node instanceof JsonValue.Num number) {
            text.append(number.value().stripTrailingZeros());
        } else {
            text.append(node);
        }
    }
}
