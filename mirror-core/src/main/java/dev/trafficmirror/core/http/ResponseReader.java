package dev.trafficmirror.core.http;

import dev.trafficmirror.core.ShadowResponse;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 response from whatever pieces the socket hands over, as RFC 9112 frames it:
 * interim (1xx) answers skipped, no body after HEAD, 204 or 304, then chunked, Content-Length or
 * until the connection closes. The first {@code captureLimit} body bytes are kept; at the limit it
 * stops (the connection is then given up rather than drained). Not thread-safe: one per exchange.
 */
final class ResponseReader {

    /** Longest status line plus headers taken; a longer head is a protocol error. */
    static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_CHUNK_LINE = 4 * 1024;

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, UNTIL_CLOSE, DONE }

    private final boolean headRequest;
    private final int captureLimit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private State state = State.HEAD;
    private int headLength;
    private int status;
    private List<Map.Entry<String, String>> headers = new ArrayList<>();
    private long remaining;
    private boolean truncated;
    private boolean keepAlive = true;

    ResponseReader(boolean headRequest, int captureLimit) {
        this.headRequest = headRequest;
        this.captureLimit = captureLimit;
    }

    /**
     * Takes the bytes {@code in} has, up to the end of this response.
     *
     * @return whether the response is complete (more bytes in {@code in} belong to no one)
     * @throws ProtocolException when the bytes are not an HTTP/1.1 response
     */
    boolean read(ByteBuffer in) throws IOException {
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case HEAD -> readHead(in);
                case LENGTH -> {
                    if (readRemaining(in)) {
                        state = State.DONE;
                    }
                }
                case CHUNK_SIZE -> readChunkSize(in);
                case CHUNK_DATA -> {
                    if (readRemaining(in)) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    String end = readLine(in, MAX_CHUNK_LINE);
                    if (end != null && !end.isEmpty()) {
                        // More data than the chunk size said: the framing cannot be trusted.
                        throw new ProtocolException("a chunk in the shadow's answer is longer than its size");
                    }
                    if (end != null) {
                        state = State.CHUNK_SIZE;
                    }
                }
                case TRAILER -> {
                    String trailer = readLine(in, MAX_HEAD);
                    if (trailer != null && trailer.isEmpty()) {
                        state = State.DONE;
                    }
                }
                case UNTIL_CLOSE -> capture(in, in.remaining());
                default -> throw new IllegalStateException(state.name());
            }
            if (truncated) {
                state = State.DONE;
            }
        }
        return state == State.DONE;
    }

    /**
     * The connection reached its end. A response read until the connection closes is complete now;
     * any other is cut short.
     */
    void endOfStream() throws IOException {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
        } else if (state != State.DONE) {
            throw new EOFException("the shadow closed the connection before its answer was complete");
        }
    }

    /** Whether the connection may carry another exchange after this response. */
    boolean reusable() {
        return state == State.DONE && keepAlive && !truncated;
    }

    ShadowResponse response() {
        return ShadowResponse.of(status, List.copyOf(headers), body.toByteArray(), truncated);
    }

    /** Takes up to {@code remaining} body bytes; whether that was all of them. */
    private boolean readRemaining(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        capture(in, n);
        remaining -= n;
        return remaining == 0;
    }

    private void capture(ByteBuffer in, int n) {
        int kept = Math.min(n, captureLimit - body.size());
        body.write(in.array(), in.arrayOffset() + in.position(), kept);
        in.position(in.position() + n);
        if (kept < n) {
            truncated = true;
        }
    }

    private void readHead(ByteBuffer in) throws IOException {
        int start = in.position();
        String text = readLine(in, MAX_HEAD);
        headLength += in.position() - start;
        if (headLength > MAX_HEAD) {
            throw new ProtocolException("the shadow's answer has a head longer than " + MAX_HEAD + " bytes");
        }
        if (text == null) {
            return;
        }
        if (status == 0) {
            status = statusOf(text);
        } else if (!text.isEmpty()) {
            header(text);
        } else if (status < 200 && status != 101) {
            // An interim answer (100 Continue, 103 Early Hints): the real one follows.
            status = 0;
            headers = new ArrayList<>();
        } else {
            bodyFraming();
        }
    }

    private void bodyFraming() throws ProtocolException {
        String transferEncoding = lastHeader("Transfer-Encoding");
        boolean framedByLength = lastHeader("Content-Length") != null;
        if (headRequest || status == 204 || status == 304 || status == 101) {
            keepAlive &= status != 101;
            state = State.DONE;
        } else if (transferEncoding != null) {
            // Both framings: the length is ignored (RFC 9112, 6.3), and the connection, which a
            // smuggled message could share, is not used again.
            keepAlive &= !framedByLength;
            if (!transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                keepAlive = false;
                state = State.UNTIL_CLOSE;
            } else {
                state = State.CHUNK_SIZE;
            }
        } else if (framedByLength) {
            remaining = contentLength();
            state = remaining == 0 ? State.DONE : State.LENGTH;
        } else {
            keepAlive = false;
            state = State.UNTIL_CLOSE;
        }
    }

    private void header(String text) throws ProtocolException {
        int colon = text.indexOf(':');
        if (colon <= 0 || !WireSyntax.isToken(text.substring(0, colon))) {
            throw new ProtocolException("malformed header line in the shadow's answer");
        }
        String name = text.substring(0, colon);
        String value = text.substring(colon + 1).strip();
        headers.add(Map.entry(name, value));
        if (name.equalsIgnoreCase("Connection") && value.toLowerCase(Locale.ROOT).contains("close")) {
            keepAlive = false;
        }
    }

    private int statusOf(String statusLine) throws ProtocolException {
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new ProtocolException("not an HTTP/1.x status line from the shadow");
        }
        if (statusLine.charAt(7) == '0') {
            keepAlive = false;
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char digit = statusLine.charAt(i);
            if (digit < '0' || digit > '9') {
                throw new ProtocolException("not an HTTP/1.x status line from the shadow");
            }
            code = code * 10 + digit - '0';
        }
        if (code < 100) {
            throw new ProtocolException("status " + code + " from the shadow");
        }
        return code;
    }

    private void readChunkSize(ByteBuffer in) throws ProtocolException {
        String text = readLine(in, MAX_CHUNK_LINE);
        if (text == null) {
            return;
        }
        int extension = text.indexOf(';');
        long size = digits((extension < 0 ? text : text.substring(0, extension)).strip(), 16, 15);
        if (size < 0) {
            throw new ProtocolException("malformed chunk size in the shadow's answer");
        }
        remaining = size;
        state = size == 0 ? State.TRAILER : State.CHUNK_DATA;
    }

    /** The Content-Length; when it is repeated, every value must say the same (RFC 9110, 8.6). */
    private long contentLength() throws ProtocolException {
        long length = -1;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                long value = parseLength(header.getValue());
                if (length >= 0 && value != length) {
                    throw new ProtocolException("conflicting Content-Lengths in the shadow's answer");
                }
                length = value;
            }
        }
        return length;
    }

    private static long parseLength(String value) throws ProtocolException {
        long length = digits(value, 10, 18);
        if (length < 0) {
            throw new ProtocolException("malformed Content-Length in the shadow's answer");
        }
        return length;
    }

    /**
     * The value of 1 to {@code most} digits (RFC 9112: 1*DIGIT, 1*HEXDIG), or -1. Not
     * {@link Long#parseLong}, which takes a sign: "+5" or "-0" is no length.
     */
    private static long digits(String text, int radix, int most) {
        if (text.isEmpty() || text.length() > most) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c < 0x80 ? Character.digit(c, radix) : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
        }
        return value;
    }

    private String lastHeader(String name) {
        String found = null;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                found = header.getValue();
            }
        }
        return found;
    }

    /** The next line without its CRLF (or bare LF), or {@code null} until it is complete. */
    private String readLine(ByteBuffer in, int max) throws ProtocolException {
        byte[] array = in.array();
        int start = in.arrayOffset() + in.position();
        int end = in.arrayOffset() + in.limit();
        int newline = start;
        while (newline < end && array[newline] != '\n') {
            newline++;
        }
        if (line.size() + newline - start > max) {
            throw new ProtocolException("the shadow's answer has a line or head too long to take");
        }
        in.position(in.position() + Math.min(newline + 1, end) - start);
        if (newline == end) {
            line.write(array, start, end - start);
            return null;
        }
        String text;
        if (line.size() == 0) {
            text = new String(array, start, newline - start, StandardCharsets.ISO_8859_1);
        } else {
            line.write(array, start, newline - start);
            text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
        }
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
