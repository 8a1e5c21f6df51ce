package dev.trafficmirror.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Spells a copy as an HTTP/1.1 request for its target, with the same rules as {@link HttpShadowSink}:
 * the target's base path before the request's path, path and query checked to go out unchanged
 * ({@link HttpShadowSink#url}), header names and values checked so that nothing can be injected,
 * values written as the UTF-8 bytes the client sent, the target's Host unless the header rules chose
 * one, and framing (Content-Length) of our own.
 */
final class RequestWriter {

    /** Methods whose requests carry a Content-Length even when their body is empty. */
    private static final Set<String> BODY_EXPECTED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");
    private static final byte[] CRLF = {'\r', '\n'};

    private RequestWriter() {
    }

    /**
     * The request's head and body, ready for a gathering write.
     *
     * @throws IllegalArgumentException when the copy cannot be sent as received ({@code invalid_request})
     */
    static ByteBuffer[] write(HttpUrl base, MirrorRequest request) {
        if (!WireSyntax.isToken(request.method())) {
            throw new IllegalArgumentException("the copy's method is not a token");
        }
        HttpUrl url = HttpShadowSink.url(base, request);
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        ascii(head, request.method());
        ascii(head, " ");
        ascii(head, url.encodedPath());
        if (url.encodedQuery() != null) {
            ascii(head, "?");
            ascii(head, url.encodedQuery());
        }
        ascii(head, " HTTP/1.1\r\n");
        if (request.header("Host") == null) {
            field(head, "Host", hostHeader(url));
        }
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey();
            if (!WireSyntax.isToken(name) || !WireSyntax.isFieldValue(header.getValue())) {
                throw new IllegalArgumentException("a header of the copy is malformed or holds a line break");
            }
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                field(head, name, WireSyntax.utf8Value(header.getValue()));
            }
        }
        int length = request.bodyLength();
        if (length > 0 || BODY_EXPECTED.contains(request.method())) {
            field(head, "Content-Length", Integer.toString(length));
        }
        head.writeBytes(CRLF);
        ByteBuffer headBytes = ByteBuffer.wrap(head.toByteArray());
        return length == 0 ? new ByteBuffer[] {headBytes} : new ByteBuffer[] {headBytes, request.body()};
    }

    /** The target's host, bracketed when IPv6, with its port unless it is the scheme's default. */
    static String hostHeader(HttpUrl url) {
        String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
        return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
    }

    private static void field(ByteArrayOutputStream out, String name, String value) {
        ascii(out, name);
        ascii(out, ": ");
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(CRLF);
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        for (int i = 0; i < text.length(); i++) {
            out.write(text.charAt(i));
        }
    }
}
