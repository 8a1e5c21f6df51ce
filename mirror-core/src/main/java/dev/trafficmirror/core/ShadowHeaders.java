package dev.trafficmirror.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's headers into the headers of its copy: end-to-end headers kept in order,
 * hop-by-hop headers dropped, the mirror id and {@code X-Forwarded-*} added, the trace context
 * rewritten ({@link TraceHeaders}), then the target's {@link HeaderRules} applied and its Host
 * chosen.
 */
final class ShadowHeaders {

    /** Headers that describe one connection, never the request (RFC 9110 7.6.1). */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    /**
     * Headers the copy never takes from the request: Host follows the {@link HeaderRules} (by
     * default the sender sets the target's), Content-Length follows the body sent, and Expect would
     * make the copy wait for an interim answer.
     */
    private static final Set<String> SET_BY_SENDER = Set.of("host", "content-length", "expect");

    /** Headers that describe a body: a headers-only copy has none, so they would describe nothing. */
    private static final Set<String> DESCRIBE_BODY = Set.of("content-type", "content-encoding", "content-language",
            "content-range", "content-md5", "digest", "content-digest", "repr-digest");

    private ShadowHeaders() {
    }

    /**
     * The copy's headers.
     *
     * @param withoutBody whether the copy is sent without the body (headers-only target)
     */
    static List<Map.Entry<String, String>> of(MirrorRequest request, String mirrorId, HeaderRules rules,
            boolean withoutBody, TracePropagation trace) {
        Set<String> connectionScoped = connectionScoped(request);
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size() + 4);
        String forwardedFor = null;
        boolean hasForwardedHost = false;
        boolean hasForwardedProto = false;
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || SET_BY_SENDER.contains(name) || connectionScoped.contains(name)
                    || name.equals("x-mirror-id") || (withoutBody && DESCRIBE_BODY.contains(name))) {
                continue;
            }
            if (name.equals("x-forwarded-for")) {
                forwardedFor = forwardedFor == null ? header.getValue() : forwardedFor + ", " + header.getValue();
                continue;
            }
            hasForwardedHost |= name.equals("x-forwarded-host");
            hasForwardedProto |= name.equals("x-forwarded-proto");
            headers.add(header);
        }
        headers.add(Map.entry(Mirror.MIRROR_ID_HEADER, mirrorId));
        String host = request.header("Host");
        if (!hasForwardedHost && host != null) {
            headers.add(Map.entry("X-Forwarded-Host", host));
        }
        String client = request.remoteAddress();
        if (client != null) {
            forwardedFor = forwardedFor == null ? client : forwardedFor + ", " + client;
        }
        if (forwardedFor != null) {
            headers.add(Map.entry("X-Forwarded-For", forwardedFor));
        }
        if (!hasForwardedProto) {
            headers.add(Map.entry("X-Forwarded-Proto", request.scheme()));
        }
        TraceHeaders.apply(headers, trace);
        rules.apply(headers);
        String copyHost = rules.host(request);
        if (copyHost != null) {
            headers.add(0, Map.entry("Host", copyHost));
        }
        return headers;
    }

    /** Headers the Connection header names are hop-by-hop too. */
    private static Set<String> connectionScoped(MirrorRequest request) {
        Set<String> names = null;
        for (Map.Entry<String, String> header : request.headers()) {
            if (header.getKey().equalsIgnoreCase("Connection")) {
                for (String token : header.getValue().split(",")) {
                    if (names == null) {
                        names = new HashSet<>();
                    }
                    names.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names == null ? Set.of() : names;
    }
}
