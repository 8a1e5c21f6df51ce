package dev.trafficmirror.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a copy may carry on the wire, and nothing else: the one place that decides whether a
 * request's path, query and headers can be reproduced safely and faithfully.
 *
 * <p>A path is accepted as received, except that the few printable characters a URL may not carry
 * raw are percent-encoded (the same resource, spelled the way OkHttp would send it anyway). It is
 * refused when it could leave the target's base path or be read differently by the shadow than by
 * the primary: dot segments (raw, percent-encoded, with path parameters, behind an encoded slash),
 * backslashes, control characters, non-ASCII characters (the original bytes are unknown), invalid
 * percent-encoding. Header values are refused when they hold line breaks or other control
 * characters, which would split the copy's head.
 */
public final class WireSyntax {

    /** Longest path, and longest query, accepted, in characters; servlet containers allow about 8 KiB by default. */
    public static final int MAX_TARGET_LENGTH = 16 * 1024;
    /** Largest header section accepted (names, values and separators), in characters. */
    public static final int MAX_HEADERS_LENGTH = 64 * 1024;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Printable ASCII a path may not carry raw; OkHttp percent-encodes exactly these. */
    private static final String PATH_ENCODED = " \"<>^`{|}";
    /** Printable ASCII a query may not carry raw; OkHttp percent-encodes exactly these. */
    private static final String QUERY_ENCODED = " \"'<>";
    /** RFC 9110 tchar, besides letters and digits. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private WireSyntax() {
    }

    /**
     * The path as it should go on the wire, or {@code null} when it cannot be reproduced safely.
     *
     * @param raw the path as received, still percent-encoded
     */
    public static String path(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/' || raw.length() > MAX_TARGET_LENGTH) {
            return null;
        }
        StringBuilder encoded = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (!isPercentEscape(raw, i)) {
                    return null;
                }
            } else if (c < 0x20 || c >= 0x7f || c == '\\' || c == '?' || c == '#') {
                return null;
            }
            if (PATH_ENCODED.indexOf(c) >= 0) {
                if (encoded == null) {
                    encoded = new StringBuilder(raw.length() + 16).append(raw, 0, i);
                }
                percentEncode(encoded, c);
            } else if (encoded != null) {
                encoded.append(c);
            }
        }
        String path = encoded == null ? raw : encoded.toString();
        return hasDotSegment(path) ? null : path;
    }

    /**
     * The raw query as it should go on the wire, or {@code null} when it cannot be reproduced.
     * Percent signs are kept as received, valid or not: the query cannot steer the copy anywhere,
     * and the shadow should parse what the primary parsed.
     *
     * @param raw the query without {@code ?}; must not be {@code null}
     */
    public static String query(String raw) {
        if (raw.length() > MAX_TARGET_LENGTH) {
            return null;
        }
        StringBuilder encoded = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '#') {
                return null;
            }
            if (QUERY_ENCODED.indexOf(c) >= 0) {
                if (encoded == null) {
                    encoded = new StringBuilder(raw.length() + 16).append(raw, 0, i);
                }
                percentEncode(encoded, c);
            } else if (encoded != null) {
                encoded.append(c);
            }
        }
        return encoded == null ? raw : encoded.toString();
    }

    /**
     * Whether a segment is {@code .} or {@code ..} in any spelling a server might resolve: raw or
     * percent-encoded, with path parameters ({@code ..;x}, which Tomcat resolves), or between
     * encoded slashes or backslashes ({@code a%2F..%2Fb}, resolved by servers that decode first).
     */
    private static boolean hasDotSegment(String path) {
        int start = 1;
        while (start <= path.length()) {
            int end = segmentEnd(path, start);
            int nameEnd = start;
            while (nameEnd < end && path.charAt(nameEnd) != ';') {
                nameEnd++;
            }
            int dots = 0;
            int i = start;
            while (i < nameEnd) {
                if (path.charAt(i) == '.') {
                    i++;
                } else if (path.startsWith("%2e", i) || path.startsWith("%2E", i)) {
                    i += 3;
                } else {
                    break;
                }
                dots++;
            }
            if (i == nameEnd && (dots == 1 || dots == 2)) {
                return true;
            }
            start = end + (end < path.length() && path.charAt(end) == '%' ? 3 : 1);
        }
        return false;
    }

    /** Where the segment starting at {@code start} ends: a slash, an encoded slash or backslash, or the end. */
    private static int segmentEnd(String path, int start) {
        for (int i = start; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                return i;
            }
            if (c == '%' && i + 2 < path.length()) {
                char high = path.charAt(i + 1);
                char low = Character.toUpperCase(path.charAt(i + 2));
                if ((high == '2' && low == 'F') || (high == '5' && low == 'C')) {
                    return i;
                }
            }
        }
        return path.length();
    }

    private static boolean isPercentEscape(String s, int at) {
        return at + 2 < s.length() && Character.digit(s.charAt(at + 1), 16) >= 0
                && Character.digit(s.charAt(at + 2), 16) >= 0;
    }

    private static void percentEncode(StringBuilder out, char c) {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
    }

    /** Whether a header name is an RFC 9110 token. */
    public static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether a header value holds no control character but tab: nothing that could end the line. */
    static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Whether every header is well-formed and the whole section stays within the limit. */
    public static boolean areHeaders(List<Map.Entry<String, String>> headers) {
        long length = 0;
        for (Map.Entry<String, String> header : headers) {
            if (!isToken(header.getKey()) || !isFieldValue(header.getValue())) {
                return false;
            }
            length += header.getKey().length() + header.getValue().length() + 4;
        }
        return length <= MAX_HEADERS_LENGTH;
    }

    /**
     * A header value as a string whose UTF-8 encoding is the bytes the client sent. Servlet
     * containers decode header bytes as ISO-8859-1, one character per byte, while OkHttp writes
     * UTF-8; bytes that are valid UTF-8 are re-read as such, so the shadow gets them unchanged.
     *
     * @throws IllegalArgumentException when the bytes are not UTF-8 and so cannot be reproduced
     */
    static String utf8Value(String value) {
        boolean latin1 = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                // Not bytes decoded one by one: the value is text, and is sent as UTF-8.
                return value;
            }
            latin1 |= c >= 0x80;
        }
        if (!latin1) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a header value holds bytes that are not UTF-8 and cannot be reproduced");
        }
    }

    /**
     * The path with percent-escapes decoded (as UTF-8), path parameters removed and repeated
     * slashes collapsed: the path a servlet container maps, which path conditions match against.
     */
    public static String decodedPath(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        ByteArrayOutputStream bytes = null;
        boolean inParameter = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '/') {
                inParameter = false;
                if (out.length() == 0 || out.charAt(out.length() - 1) != '/') {
                    out.append('/');
                }
                continue;
            }
            if (inParameter) {
                continue;
            }
            if (c == ';') {
                inParameter = true;
                continue;
            }
            if (c == '%' && isPercentEscape(raw, i)) {
                if (bytes == null) {
                    bytes = new ByteArrayOutputStream();
                }
                bytes.reset();
                while (i < raw.length() && raw.charAt(i) == '%' && isPercentEscape(raw, i)) {
                    bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                    i += 3;
                }
                i--;
                out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
