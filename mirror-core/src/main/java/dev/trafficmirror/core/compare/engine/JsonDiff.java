package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.CompareOptions;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
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
 * <p>Only this class touches Jackson (2.15 or later). It is loaded only when {@link ResponseDiff#JSON_DIFF} says
 * Jackson is on the class path; without Jackson, bodies are compared as bytes.
 */
final class JsonDiff {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Differences show numbers as written: 4.50, not 4.5.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

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
        JsonNode p;
        JsonNode s;
        try {
            p = MAPPER.readTree(primary, 0, primaryLength);
            s = MAPPER.readTree(shadow, 0, shadowLength);
        } catch (IOException e) {
            return false;
        }
        if (p == null || s == null || p.isMissingNode() || s.isMissingNode()) {
            return false;
        }
        JsonDiff diff = new JsonDiff(options, out);
        if (!PathPattern.anyMatches(diff.ignored, FieldPath.ROOT)) {
            diff.compare(p, s, FieldPath.ROOT);
        }
        return true;
    }

    /** Walks on past the bound of collected differences, so that they are all counted. */
    private void compare(JsonNode p, JsonNode s, FieldPath path) {
        if (p.isObject() && s.isObject()) {
            compareObjects(p, s, path);
        } else if (p.isArray() && s.isArray()) {
            if (PathPattern.anyMatches(unordered, path)) {
                compareBags(p, s, path);
            } else {
                compareLists(p, s, path);
            }
        } else if (p.isNumber() && s.isNumber()) {
            if (p.decimalValue().compareTo(s.decimalValue()) != 0) {
                out.changed(path.toString(), p.toString(), s.toString());
            }
        } else if (!p.equals(s)) {
            out.changed(path.toString(), p.toString(), s.toString());
        }
    }

    private void compareObjects(JsonNode p, JsonNode s, FieldPath path) {
        for (Map.Entry<String, JsonNode> field : p.properties()) {
            FieldPath child = path.key(field.getKey());
            if (PathPattern.anyMatches(ignored, child)) {
                continue;
            }
            JsonNode other = s.get(field.getKey());
            if (other == null) {
                out.removed(child.toString(), field.getValue().toString());
            } else {
                compare(field.getValue(), other, child);
            }
        }
        for (Map.Entry<String, JsonNode> field : s.properties()) {
            if (!p.has(field.getKey())) {
                FieldPath child = path.key(field.getKey());
                if (!PathPattern.anyMatches(ignored, child)) {
                    out.added(child.toString(), field.getValue().toString());
                }
            }
        }
    }

    private void compareLists(JsonNode p, JsonNode s, FieldPath path) {
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

    private void element(JsonNode p, JsonNode s, FieldPath child) {
        if (!PathPattern.anyMatches(ignored, child)) {
            compare(p, s, child);
        }
    }

    /**
     * Elements equal in any position (ignored paths aside) pair up first; what is left pairs up in
     * order and is diffed field by field, so a changed element still reports the field that changed.
     */
    private void compareBags(JsonNode p, JsonNode s, FieldPath path) {
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
    private String canonical(JsonNode node, FieldPath path) {
        StringBuilder text = new StringBuilder();
        canonical(node, path, text);
        return text.toString();
    }

    private void canonical(JsonNode node, FieldPath path, StringBuilder text) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                sorted.put(field.getKey(), field.getValue());
            }
            text.append('{');
            for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                FieldPath child = path.key(field.getKey());
                if (!PathPattern.anyMatches(ignored, child)) {
                    text.append(MAPPER.getNodeFactory().textNode(field.getKey())).append(':');
                    canonical(field.getValue(), child, text);
                    text.append(',');
                }
            }
            text.append('}');
        } else if (node.isArray()) {
            List<String> elements = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                FieldPath child = path.index(i);
                if (!PathPattern.anyMatches(ignored, child)) {
                    elements.add(canonical(node.get(i), child));
                }
            }
            if (PathPattern.anyMatches(unordered, path)) {
                elements.sort(null);
            }
            text.append('[').append(String.join(",", elements)).append(']');
        } else if (node.isNumber()) {
            text.append(node.decimalValue().stripTrailingZeros());
        } else {
            text.append(node);
        }
    }
}
