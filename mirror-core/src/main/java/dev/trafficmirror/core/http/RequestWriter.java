package dev.trafficmirror.core.http;

import dev.trafficmirror.core.MirrorRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Spells a copy as an HTTP/1.1 request for its target: the target's base path before the
 * request's path, path and query checked to go out unchanged ({@link #checkedPath}), header names
 * and values checked so that nothing can be injected, values written as the UTF-8 bytes the client
 * sent, the target's Host unless the header rules chose one, and framing (Content-Length) of our own. Runs on the I/O thread for every copy,
 * so it writes straight into one array.
 */
final class RequestWriter {

    /** Methods whose requests carry a Content-Length even when their body is empty. */
    private static final Set<String> BODY_EXPECTED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");

    private byte[] bytes;
    private int length;

    private RequestWriter(int capacity) {
        bytes = new byte[capacity];
    }

    /**
     * The request's head and body, ready for a gathering write.
     *
     * @throws IllegalArgumentException when the copy cannot be sent as received ({@code invalid_request})
     */
    static ByteBuffer[] write(TargetAddress target, MirrorRequest request) {
        if (!WireSyntax.isToken(request.method())) {
            throw new IllegalArgumentException("the copy's method is not a token");
        }
        String path = checkedPath(target.basePath(), request);
        RequestWriter head = new RequestWriter(512);
        head.ascii(request.method()).ascii(" ").ascii(path);
        if (request.query() != null) {
            head.ascii("?").ascii(request.query());
        }
        head.ascii(" HTTP/1.1\r\n");
        if (request.header("Host") == null) {
            head.field("Host", target.hostHeader());
        }
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey();
            if (!WireSyntax.isToken(name) || !WireSyntax.isFieldValue(header.getValue())) {
                throw new IllegalArgumentException("a header of the copy is malformed or holds a line break");
            }
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                head.field(name, WireSyntax.utf8Value(header.getValue()));
            }
        }
        int bodyLength = request.bodyLength();
        if (bodyLength > 0 || BODY_EXPECTED.contains(request.method())) {
            head.field("Content-Length", Integer.toString(bodyLength));
        }
        head.ascii("\r\n");
        ByteBuffer headBytes = ByteBuffer.wrap(head.bytes, 0, head.length);
        return bodyLength == 0 ? new ByteBuffer[] {headBytes} : new ByteBuffer[] {headBytes, request.body()};
    }

    /**
     * The copy's path on the wire: the target's base path followed by the request's path, once both
     * path and query are known to be spelled exactly as they should go out (no dot segment in any
     * spelling, nothing to re-encode), so that the copy cannot leave the base path.
     *
     * @throws IllegalArgumentException when the path or query cannot be sent unchanged ({@code invalid_request})
     */
    static String checkedPath(String basePath, MirrorRequest request) {
        String query = request.query();
        if (!request.path().equals(WireSyntax.path(request.path()))
                || (query != null && !query.equals(WireSyntax.query(query)))) {
            throw new IllegalArgumentException("the request's path or query cannot be reproduced safely");
        }
        return basePath + request.path();
    }

    private void field(String name, String value) {
        ascii(name).ascii(": ");
        if (isAscii(value)) {
            ascii(value);
        } else {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
        }
        ascii("\r\n");
    }

    /** Appends text known to be ASCII (checked by {@link WireSyntax}), one byte per character. */
    private RequestWriter ascii(String text) {
        room(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
