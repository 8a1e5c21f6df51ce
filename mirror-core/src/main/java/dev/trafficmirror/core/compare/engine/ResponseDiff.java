package dev.trafficmirror.core.compare.engine;

import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.integration.PrimaryResponse;

import dev.trafficmirror.core.ShadowResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds every difference between a primary's and a shadow's answer, status, headers and body, with
 * ignored headers and paths left out (noise is set aside later, by the caller).
 */
final class ResponseDiff {

    /**
     * What a diff found.
     *
     * @param notComparable why the bodies could not be compared, or {@code null}
     * @param note what was deliberately left out of the comparison, or {@code null}
     */
    record Found(Differences differences, String notComparable, String note) {
    }

    private final CompareOptions options;

    ResponseDiff(CompareOptions options) {
        this.options = options;
    }

    /**
     * @param method the request's method: the answer to a HEAD has no body on the wire (the primary
     *     may still have written one, which its container dropped)
     */
    Found diff(String method, PrimaryResponse primary, ShadowResponse shadow) {
        Differences out = new Differences();
        if (primary.status() != shadow.status()) {
            out.changed("status", String.valueOf(primary.status()), String.valueOf(shadow.status()));
        }
        if (primary.capture() == PrimaryResponse.Capture.CONTAINER_ANSWER) {
            // The rest of such an answer is the container's error page or redirect, not the application's.
            if (!options.ignoredHeaders().contains("location")) {
                compareValues("location", values(primary.headers(), "location"), values(shadow.headers(), "location"), out);
            }
            return new Found(out, null, "the container wrote the primary's answer (" + primary.note()
                    + "): only the status and Location are compared");
        }
        compareHeaders(primary.headers(), shadow.headers(), out);
        if (primary.capture() == PrimaryResponse.Capture.BODY_INCOMPLETE) {
            return new Found(out, primary.note(), null);
        }
        if (method.equals("HEAD") || primary.status() == 204 || primary.status() == 304) {
            return new Found(out, null, null);
        }
        if (shadow.truncated()) {
            return new Found(out, "the shadow's body is larger than the capture limit", null);
        }
        return new Found(out, compareBodies(primary, shadow, out), null);
    }

    /** @return why the bodies are not comparable, or {@code null} once compared */
    private String compareBodies(PrimaryResponse primary, ShadowResponse shadow, Differences out) {
        String primaryType = Bodies.header(primary.headers(), "Content-Type");
        String shadowType = Bodies.header(shadow.headers(), "Content-Type");
        byte[] shadowBody = shadow.body();
        Bodies.Decoded p = Bodies.decode(primary.bodyBytes(), primary.bodyLength(),
                Bodies.header(primary.headers(), "Content-Encoding"), options.maxDecodedBodySize());
        if (!p.ok()) {
            return "the primary's body: " + p.message();
        }
        Bodies.Decoded s = Bodies.decode(shadowBody, shadowBody.length,
                Bodies.header(shadow.headers(), "Content-Encoding"), options.maxDecodedBodySize());
        boolean text = Bodies.isText(primaryType) || Bodies.isText(shadowType);
        if (s.problem() == Bodies.Problem.BROKEN) {
            out.changed("body", Bodies.excerpt(p.bytes(), p.length(), 0, text ? Bodies.charset(primaryType) : null), s.message());
            return null;
        }
        if (!s.ok()) {
            return "the shadow's body: " + s.message();
        }
        boolean json = Bodies.isJson(primaryType) || Bodies.isJson(shadowType)
                || (primaryType == null && shadowType == null
                        && Bodies.looksLikeJson(p.bytes(), p.length()) && Bodies.looksLikeJson(s.bytes(), s.length()));
        if (json && JsonReading.AVAILABLE.byField() && JsonDiff.diff(p.bytes(), p.length(), s.bytes(), s.length(), options, out)) {
            return null;
        }
        int at = Bodies.firstDifference(p.bytes(), p.length(), s.bytes(), s.length());
        if (at >= 0) {
            text |= json;
            out.changed("body", Bodies.excerpt(p.bytes(), p.length(), at, text ? Bodies.charset(primaryType) : null),
                    Bodies.excerpt(s.bytes(), s.length(), at, text ? Bodies.charset(shadowType) : null));
        }
        return null;
    }

    private void compareHeaders(List<Map.Entry<String, String>> primary, List<Map.Entry<String, String>> shadow,
            Differences out) {
        Map<String, List<String>> p = group(primary);
        Map<String, List<String>> s = group(shadow);
        for (Map.Entry<String, List<String>> header : p.entrySet()) {
            compareValues(header.getKey(), header.getValue(), s.get(header.getKey()), out);
        }
        for (Map.Entry<String, List<String>> header : s.entrySet()) {
            if (!p.containsKey(header.getKey())) {
                compareValues(header.getKey(), null, header.getValue(), out);
            }
        }
    }

    private static void compareValues(String name, List<String> primary, List<String> shadow, Differences out) {
        boolean inPrimary = primary != null && !primary.isEmpty();
        boolean inShadow = shadow != null && !shadow.isEmpty();
        if (inPrimary && inShadow) {
            if (!primary.equals(shadow)) {
                out.changed("header:" + name, String.join(", ", primary), String.join(", ", shadow));
            }
        } else if (inPrimary) {
            out.removed("header:" + name, String.join(", ", primary));
        } else if (inShadow) {
            out.added("header:" + name, String.join(", ", shadow));
        }
    }

    private Map<String, List<String>> group(List<Map.Entry<String, String>> headers) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!options.ignoredHeaders().contains(name)) {
                grouped.computeIfAbsent(name, k -> new ArrayList<>()).add(value(name, header.getValue()));
            }
        }
        return grouped;
    }

    private static List<String> values(List<Map.Entry<String, String>> headers, String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                values.add(value(name, header.getValue()));
            }
        }
        return values;
    }

    private static String value(String name, String value) {
        return name.equals("content-type") ? Bodies.normalizeContentType(value) : value.trim();
    }
}
