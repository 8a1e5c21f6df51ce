package dev.trafficmirror.core;

import dev.trafficmirror.core.http.WireSyntax;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of one incoming HTTP request: everything needed to replay it, taken on the
 * request thread so that no container object ever crosses to a mirror thread.
 *
 * <p>The path and query are kept exactly as received (still percent-encoded); headers keep their
 * order, duplicates and case; the body is the exact bytes the client sent.
 */
public final class MirrorRequest {

    private static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final String path;
    private final String query;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final String scheme;
    private final String remoteAddress;
    private final String contextPath;
    /** Computed at most once or twice per request (a benign race on an immutable String). */
    private String applicationPath;

    private MirrorRequest(Builder builder, byte[] body) {
        this.method = builder.method;
        this.path = builder.path;
        this.query = builder.query;
        this.headers = List.copyOf(builder.headers);
        this.body = body;
        this.scheme = builder.scheme;
        this.remoteAddress = builder.remoteAddress;
        this.contextPath = builder.contextPath;
    }

    private MirrorRequest(MirrorRequest head, List<Map.Entry<String, String>> headers, byte[] body) {
        this(head, head.path, head.query, headers, body);
    }

    private MirrorRequest(MirrorRequest head, String path, String query, List<Map.Entry<String, String>> headers,
            byte[] body) {
        this.method = head.method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.scheme = head.scheme;
        this.remoteAddress = head.remoteAddress;
        this.contextPath = head.contextPath;
    }

    /**
     * Starts a request snapshot.
     *
     * @param method the HTTP method, as received (e.g. {@code POST})
     * @param path the raw, still percent-encoded path, starting with {@code /}
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /** The HTTP method, as received. */
    public String method() {
        return method;
    }

    /** The raw (percent-encoded) path, as received. */
    public String path() {
        return path;
    }

    /** The raw query string without {@code ?}, or {@code null} when the request had none. */
    public String query() {
        return query;
    }

    /** All headers in the order received, duplicates included. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The first value of the named header (case-insensitive), or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** A read-only view of the body; empty when there is none. */
    public ByteBuffer body() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** A copy of the body bytes. */
    public byte[] bodyBytes() {
        return body.clone();
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** {@code http} or {@code https}: how the client reached the primary. */
    public String scheme() {
        return scheme;
    }

    /** The client's address as the primary saw it, or {@code null} when unknown. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /**
     * The raw path under which the application is deployed ({@code /shop}), the start of
     * {@link #path()}; empty when it is deployed at the root. Path conditions match what follows
     * it, as Spring MVC's mappings do; the copy keeps the whole path.
     */
    public String contextPath() {
        return contextPath;
    }

    /**
     * This request with the given body. The array is taken over, not copied: it must not be changed
     * afterwards.
     */
    public MirrorRequest withBody(byte[] newBody) {
        return new MirrorRequest(this, headers, Objects.requireNonNull(newBody, "body"));
    }

    /** This request with other headers (same method, path, query and body). */
    MirrorRequest withHeaders(List<Map.Entry<String, String>> newHeaders) {
        return new MirrorRequest(this, List.copyOf(newHeaders), body);
    }

    /** This request with the path and query spelled as they go on the wire. */
    MirrorRequest withTarget(String wirePath, String wireQuery) {
        if (wirePath.equals(path) && Objects.equals(wireQuery, query)) {
            return this;
        }
        return new MirrorRequest(this, wirePath, wireQuery, headers, body);
    }

    /**
     * The path within the application as a servlet container maps it (after the context path,
     * decoded, without path parameters, single slashes): what path conditions match, so that
     * {@code /%61dmin} or {@code /admin;x} is {@code /admin}. A path that does not start with its
     * context path (it always should) is matched whole.
     */
    String applicationPath() {
        String within = applicationPath;
        if (within == null) {
            within = WireSyntax.decodedPath(path);
            String context = contextPath.isEmpty() ? "" : WireSyntax.decodedPath(contextPath);
            if (context.endsWith("/")) {
                context = context.substring(0, context.length() - 1);
            }
            if (!context.isEmpty() && within.startsWith(context)
                    && (within.length() == context.length() || within.charAt(context.length()) == '/')) {
                within = within.length() == context.length() ? "/" : within.substring(context.length());
            }
            applicationPath = within;
        }
        return within;
    }

    /** The body array itself, for senders inside this package; never modified. */
    byte[] bodyArray() {
        return body;
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " (" + body.length + " bytes)";
    }

    /** Builds a {@link MirrorRequest}. */
    public static final class Builder {
        private final String method;
        private final String path;
        private String query;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body = NO_BODY;
        private String scheme = "http";
        private String remoteAddress;
        private String contextPath = "";

        private Builder(String method, String path) {
            this.method = requireText(method, "method");
            this.path = requireText(path, "path");
        }

        /** The raw query string without {@code ?}; {@code null} for none. */
        public Builder query(String rawQuery) {
            this.query = rawQuery;
            return this;
        }

        /** Adds one header value; call again for repeated headers. */
        public Builder header(String name, String value) {
            headers.add(Map.entry(requireText(name, "header name"), Objects.requireNonNull(value, "header value")));
            return this;
        }

        /**
         * The body bytes. The array is taken over, not copied: it must not be changed afterwards.
         */
        public Builder body(byte[] bytes) {
            this.body = Objects.requireNonNull(bytes, "body");
            return this;
        }

        /** {@code http} (default) or {@code https}. */
        public Builder scheme(String scheme) {
            this.scheme = requireText(scheme, "scheme");
            return this;
        }

        /** The client's address as the primary saw it. */
        public Builder remoteAddress(String address) {
            this.remoteAddress = address;
            return this;
        }

        /**
         * The raw path the application is deployed under, as the servlet API's
         * {@code getContextPath()} gives it ({@code /shop}; empty or {@code null} for the root).
         */
        public Builder contextPath(String rawContextPath) {
            this.contextPath = rawContextPath == null ? "" : rawContextPath;
            return this;
        }

        public MirrorRequest build() {
            return new MirrorRequest(this, body);
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}
