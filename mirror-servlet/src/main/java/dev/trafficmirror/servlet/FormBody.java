package dev.trafficmirror.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body rebuilt from the parameters the container
 * parsed, for when the container read the body itself: the request's parameters without the
 * query string's (the servlet specification puts a name's query values before its body values),
 * names and values in the order the container gives them, encoded in the charset the container
 * decoded them with.
 *
 * <p>Two encodings are written the way clients write them: the one browsers use (HTML's form
 * serializer, also Java's {@code URLEncoder}, so OkHttp's {@code FormBody} and Spring's
 * {@code RestClient}, {@code RestTemplate} and {@code WebClient}): {@code +} for a space,
 * {@code *-._} and letters and digits as they are, everything else {@code %XX} in upper case; and
 * RFC 3986's (curl's {@code --data-urlencode}, JavaScript's {@code encodeURIComponent} family):
 * {@code %20} for a space, {@code -._~} as they are. The first is written unless the declared
 * Content-Length says the client used the second. A client that wrote its body either way, with
 * each pair as {@code name=value} and names in the order they first appear, gets its own bytes
 * back; any other gets a body that parses into the same parameters.
 *
 * <p>When the query string's values cannot be told apart from the body's (the container decoded
 * the query in a way this class cannot reproduce, or dropped a pair), or a value cannot be encoded
 * in the charset, there is no rebuild: a body that parsed differently would be worse than none.
 */
final class FormBody {

    /** Characters written as they are, besides ASCII letters and digits. */
    private enum Style {
        BROWSER("*-._", true), RFC_3986("-._~", false);

        private final String unreserved;
        private final boolean plusForSpace;

        Style(String unreserved, boolean plusForSpace) {
            this.unreserved = unreserved;
            this.plusForSpace = plusForSpace;
        }
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private FormBody() {
    }

    /**
     * Rebuilds the form body of {@code request} from its parameters, already parsed by the container.
     *
     * @param charset the charset the container decoded the body with
     * @param declaredLength the request's Content-Length, or -1
     * @return the body, or {@code null} when it would be larger than {@code cap}
     * @throws IllegalStateException when the body's parameters cannot be told from the query's, or
     *     cannot be encoded in {@code charset}
     */
    static byte[] rebuild(HttpServletRequest request, Charset charset, long declaredLength, long cap) {
        List<String[]> pairs = bodyPairs(request.getParameterMap(), request.getQueryString(), charset);
        byte[] browser = encode(pairs, charset, Style.BROWSER, cap);
        if (browser != null && (declaredLength < 0 || browser.length == declaredLength)) {
            return browser;
        }
        byte[] rfc3986 = encode(pairs, charset, Style.RFC_3986, cap);
        if (rfc3986 != null && rfc3986.length == declaredLength) {
            return rfc3986;
        }
        return browser;
    }

    /** The body's name and value pairs: every parameter value that did not come from the query. */
    private static List<String[]> bodyPairs(Map<String, String[]> parameters, String query, Charset bodyCharset) {
        Map<String, List<String>> fromQuery = queryValues(query, StandardCharsets.UTF_8);
        if (!startsWithQueryValues(parameters, fromQuery) && !bodyCharset.equals(StandardCharsets.UTF_8)) {
            // Containers may decode the query with the body's charset (Tomcat's useBodyEncodingForURI).
            fromQuery = queryValues(query, bodyCharset);
        }
        if (!startsWithQueryValues(parameters, fromQuery)) {
            throw new IllegalStateException("the query's parameters cannot be told apart from the body's");
        }
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            List<String> queryValues = fromQuery.get(parameter.getKey());
            String[] values = parameter.getValue();
            for (int i = queryValues == null ? 0 : queryValues.size(); i < values.length; i++) {
                pairs.add(new String[] {parameter.getKey(), values[i]});
            }
        }
        return pairs;
    }

    /** Whether every name of the query is a parameter whose first values are the query's. */
    private static boolean startsWithQueryValues(Map<String, String[]> parameters, Map<String, List<String>> fromQuery) {
        if (fromQuery == null) {
            return false;
        }
        for (Map.Entry<String, List<String>> entry : fromQuery.entrySet()) {
            String[] values = parameters.get(entry.getKey());
            List<String> expected = entry.getValue();
            if (values == null || values.length < expected.size()
                    || !Arrays.asList(values).subList(0, expected.size()).equals(expected)) {
                return false;
            }
        }
        return true;
    }

    /** The query's values by name, decoded; {@code null} when a pair cannot be decoded. */
    private static Map<String, List<String>> queryValues(String query, Charset charset) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), charset);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), charset);
            if (name == null || value == null) {
                return null;
            }
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return values;
    }

    /** Decodes {@code +} and {@code %XX}, strictly: {@code null} for bad escapes or bytes. */
    private static String decode(String encoded, Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The pairs as a body; {@code null} once it would be larger than {@code cap}. */
    private static byte[] encode(List<String[]> pairs, Charset charset, Style style, long cap) {
        CharsetEncoder encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] pair : pairs) {
            if (body.size() > 0) {
                body.write('&');
            }
            encode(pair[0], encoder, style, body);
            body.write('=');
            encode(pair[1], encoder, style, body);
            if (body.size() > cap) {
                return null;
            }
        }
        return body.toByteArray();
    }

    private static void encode(String text, CharsetEncoder encoder, Style style, ByteArrayOutputStream body) {
        ByteBuffer bytes;
        try {
            bytes = encoder.reset().encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a parameter cannot be encoded in " + encoder.charset(), e);
        }
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xff;
            if (b == ' ' && style.plusForSpace) {
                body.write('+');
            } else if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                    || b < 0x80 && style.unreserved.indexOf(b) >= 0) {
                body.write(b);
            } else {
                body.write('%');
                body.write(HEX[b >> 4]);
                body.write(HEX[b & 0xf]);
            }
        }
    }
}
