package dev.trafficmirror.core;

import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the trace context a copy carries as its mirror's {@link TracePropagation} says: the
 * headers of W3C Trace Context, B3 (single and multi), Jaeger, Datadog, AWS X-Ray and Google
 * Cloud. Each copy that stays in its trace gets a span id of its own and is marked not sampled; a
 * trace header that cannot be read is dropped rather than passed on as received.
 */
final class TraceHeaders {

    /** Every header this class knows, lower case. */
    static final Set<String> NAMES = Set.of("traceparent", "tracestate", "b3", "x-b3-traceid", "x-b3-spanid",
            "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "uber-trace-id", "x-datadog-trace-id",
            "x-datadog-parent-id", "x-datadog-sampling-priority", "x-datadog-tags", "x-amzn-trace-id",
            "x-cloud-trace-context");

    /** {@code version-traceid-parentid-flags}, and what a later version may append. */
    private static final Pattern TRACEPARENT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})(-.*)?");
    private static final Pattern B3_SAMPLING_ONLY = Pattern.compile("[01d]");
    private static final Pattern B3 = Pattern.compile("([0-9a-f]{16}|[0-9a-f]{32})-[0-9a-f]{16}(-[01d])?(-[0-9a-f]{16})?");
    private static final Pattern JAEGER = Pattern.compile("([0-9a-f]{1,32})(?::|%3A)[0-9a-f]{1,16}(?::|%3A)[0-9a-f]{1,16}(?::|%3A)[0-9a-f]{1,2}",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CLOUD_TRACE = Pattern.compile("([0-9a-fA-F]{32})/[0-9]+(;o=[0-9])?");
    private static final Pattern XRAY_ROOT = Pattern.compile("(?:^|;)\\s*Root=[^;]+");

    private TraceHeaders() {
    }

    /** Rewrites {@code headers}, the copy's, in place. */
    static void apply(List<Map.Entry<String, String>> headers, TracePropagation mode) {
        if (mode == TracePropagation.PROPAGATE) {
            return;
        }
        boolean b3TraceId = false;
        boolean b3Sampled = false;
        boolean datadogTraceId = false;
        boolean datadogPriority = false;
        for (ListIterator<Map.Entry<String, String>> it = headers.listIterator(); it.hasNext(); ) {
            Map.Entry<String, String> header = it.next();
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NAMES.contains(name)) {
                continue;
            }
            if (mode == TracePropagation.STRIP) {
                it.remove();
                continue;
            }
            b3TraceId |= name.equals("x-b3-traceid");
            b3Sampled |= name.equals("x-b3-sampled");
            datadogTraceId |= name.equals("x-datadog-trace-id");
            datadogPriority |= name.equals("x-datadog-sampling-priority");
            String unsampled = unsampled(name, header.getValue().trim());
            if (unsampled == null) {
                it.remove();
            } else if (!unsampled.equals(header.getValue())) {
                it.set(Map.entry(header.getKey(), unsampled));
            }
        }
        // Without a decision of its own, a tracer receiving the rest would decide to sample by itself.
        if (b3TraceId && !b3Sampled) {
            headers.add(Map.entry("X-B3-Sampled", "0"));
        }
        if (datadogTraceId && !datadogPriority) {
            headers.add(Map.entry("x-datadog-sampling-priority", "0"));
        }
    }

    /** The value a copy carries instead, not sampled; {@code null} to drop the header. */
    private static String unsampled(String name, String value) {
        switch (name) {
            case "traceparent": {
                Matcher parent = TRACEPARENT.matcher(value);
                if (!parent.matches() || parent.group(1).equals("ff") || isZero(parent.group(2))) {
                    return null;
                }
                int flags = Integer.parseInt(parent.group(3), 16) & ~0x01;
                return parent.group(1) + "-" + parent.group(2) + "-" + hexId() + "-" + String.format("%02x", flags)
                        + (parent.group(4) == null ? "" : parent.group(4));
            }
            case "b3": {
                if (B3_SAMPLING_ONLY.matcher(value).matches()) {
                    return "0";
                }
                Matcher b3 = B3.matcher(value);
                return b3.matches() ? b3.group(1) + "-" + hexId() + "-0" : null;
            }
            case "x-b3-traceid":
                return value;
            case "x-b3-spanid":
                return hexId();
            case "x-b3-sampled":
            case "x-datadog-sampling-priority":
                return "0";
            case "uber-trace-id": {
                Matcher jaeger = JAEGER.matcher(value);
                return jaeger.matches() ? jaeger.group(1) + ":" + hexId() + ":0:0" : null;
            }
            case "x-datadog-trace-id":
                return value;
            case "x-datadog-parent-id":
                return Long.toUnsignedString(nonZero());
            case "x-amzn-trace-id":
                return xray(value);
            case "x-cloud-trace-context": {
                Matcher cloud = CLOUD_TRACE.matcher(value);
                return cloud.matches() ? cloud.group(1) + "/" + Long.toString((nonZero() >>> 1) | 1) + ";o=0" : null;
            }
            default:
                // tracestate, x-b3-parentspanid, x-b3-flags (debug: always sampled), x-datadog-tags
                return null;
        }
    }

    /** {@code Root=...;Parent=...;Sampled=1}: the root kept, a new parent, not sampled. */
    private static String xray(String value) {
        if (!XRAY_ROOT.matcher(value).find()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String field : value.split(";")) {
            String trimmed = field.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("Parent=") || trimmed.startsWith("Sampled=")) {
                continue;
            }
            out.append(trimmed).append(';');
        }
        return out.append("Parent=").append(hexId()).append(";Sampled=0").toString();
    }

    private static boolean isZero(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** A new 64-bit span id, 16 lower-case hex digits, never all zeros. */
    static String hexId() {
        return String.format("%016x", nonZero());
    }

    private static long nonZero() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }
}
