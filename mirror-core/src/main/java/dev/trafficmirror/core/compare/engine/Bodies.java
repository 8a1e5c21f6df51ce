package dev.trafficmirror.core.compare.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/** Reading response bodies for comparison: content types, decoding, excerpts. */
final class Bodies {

    /** A body as it is compared: decoded bytes, or why it could not be decoded. */
    record Decoded(byte[] bytes, int length, Problem problem, String message) {
        boolean ok() {
            return problem == null;
        }
    }

    enum Problem { TOO_LARGE, UNSUPPORTED, BROKEN }

    private static final int EXCERPT = 48;

    private Bodies() {
    }

    static String header(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** Decodes the content codings named by {@code contentEncoding}, last applied first. */
    static Decoded decode(byte[] body, int length, String contentEncoding, int maxDecoded) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return new Decoded(body, length, null, null);
        }
        String[] codings = contentEncoding.toLowerCase(Locale.ROOT).split(",");
        byte[] bytes = body;
        int size = length;
        for (int i = codings.length - 1; i >= 0; i--) {
            String coding = codings[i].trim();
            if (coding.isEmpty() || coding.equals("identity")) {
                continue;
            }
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("deflate")) {
                return new Decoded(null, 0, Problem.UNSUPPORTED, "content-encoding " + coding + " is not decoded");
            }
            try {
                InputStream in = new ByteArrayInputStream(bytes, 0, size);
                byte[] decoded = coding.equals("deflate") ? inflate(bytes, size, maxDecoded) : readAtMost(new GZIPInputStream(in), maxDecoded);
                if (decoded == null) {
                    return new Decoded(null, 0, Problem.TOO_LARGE, "decoded body is larger than " + maxDecoded + " bytes");
                }
                bytes = decoded;
                size = decoded.length;
            } catch (IOException e) {
                return new Decoded(null, 0, Problem.BROKEN, "invalid " + coding + ": " + e.getMessage());
            }
        }
        return new Decoded(bytes, size, null, null);
    }

    /** RFC 9110 deflate is zlib-wrapped; some servers send raw deflate, so that is tried too. */
    private static byte[] inflate(byte[] bytes, int size, int maxDecoded) throws IOException {
        try {
            return readAtMost(new InflaterInputStream(new ByteArrayInputStream(bytes, 0, size), new Inflater()), maxDecoded);
        } catch (IOException zlib) {
            return readAtMost(new InflaterInputStream(new ByteArrayInputStream(bytes, 0, size), new Inflater(true)), maxDecoded);
        }
    }

    /** The whole stream, or {@code null} when it holds more than {@code max} bytes. */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        try (in) {
            byte[] read = in.readNBytes(max);
            return in.read() < 0 ? read : null;
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = mediaType(contentType);
        return type.endsWith("/json") || type.endsWith("+json");
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = mediaType(contentType);
        return type.startsWith("text/") || isJson(contentType) || type.endsWith("xml") || type.endsWith("javascript")
                || type.equals("application/x-www-form-urlencoded") || contentType.toLowerCase(Locale.ROOT).contains("charset=");
    }

    /** Whether the body, lacking a content type, looks like a JSON object or array. */
    static boolean looksLikeJson(byte[] body, int length) {
        for (int i = 0; i < length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A content type written one way: {@code text/plain;charset=UTF-8} and
     * {@code text/plain; charset="utf-8"} say the same thing, and so do {@code application/json} and
     * {@code application/json;charset=utf-8} (JSON is UTF-8, RFC 8259).
     */
    static String normalizeContentType(String contentType) {
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean json = type.endsWith("/json") || type.endsWith("+json");
        StringBuilder normal = new StringBuilder(type);
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : parameter.substring(equals + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (name.equals("charset")) {
                value = value.toLowerCase(Locale.ROOT);
                if (json && value.equals("utf-8")) {
                    continue;
                }
            }
            normal.append(';').append(name).append('=').append(value);
        }
        return normal.toString();
    }

    /** The first index where the bodies differ, or -1 when they are equal. */
    static int firstDifference(byte[] a, int aLength, byte[] b, int bLength) {
        return Arrays.mismatch(a, 0, aLength, b, 0, bLength);
    }

    /** The charset a text content type names, or UTF-8. */
    static Charset charset(String contentType) {
        if (contentType != null) {
            for (String parameter : contentType.split(";")) {
                String trimmed = parameter.trim();
                if (trimmed.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(trimmed.substring(8).replace("\"", "").trim());
                    } catch (IllegalArgumentException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * A short, readable excerpt of a body from just before {@code at}: decoded with {@code text}
     * when it is text, in hex when {@code text} is {@code null}.
     */
    static String excerpt(byte[] body, int length, int at, Charset text) {
        int from = Math.max(0, Math.min(at, length) - 8);
        int to = Math.min(length, from + EXCERPT);
        StringBuilder out = new StringBuilder().append(length).append(" bytes");
        if (length == 0) {
            return out.toString();
        }
        out.append(", from byte ").append(from).append(": ");
        if (text != null) {
            out.append('"');
            String chunk = new String(body, from, to - from, text);
            for (int i = 0; i < chunk.length(); i++) {
                char c = chunk.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < ' ') {
                    out.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else {
            out.append(HexFormat.of().formatHex(body, from, to));
        }
        if (to < length) {
            out.append("...");
        }
        return out.toString();
    }
}
