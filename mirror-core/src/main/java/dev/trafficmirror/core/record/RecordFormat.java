package dev.trafficmirror.core.record;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Redaction;
import dev.trafficmirror.core.integration.PrimaryResponse;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The recording format, {@value #FORMAT}: one exchange per line, each line one HAR 1.2 {@code entry}
 * object (the format of browsers' developer tools, which k6's HAR converter and others read), in
 * UTF-8, ended by a line feed. What HAR has no field for is in fields whose names start with
 * {@code _}, as HAR allows: {@code _format} (this version), {@code _id} ({@code X-Mirror-Id}),
 * {@code _capture} (how much of the primary's answer was captured), {@code _redaction} (what was
 * masked), {@code _withheld} (a body redaction could not look into). Bodies that are not valid
 * UTF-8 are base64. The fields, one by one: docs/recording.md.
 *
 * <p>Writing needs nothing but the JDK. Reading needs Jackson ({@code jackson-databind}) on the
 * class path, as mirror-replay has it.
 */
public final class RecordFormat {

    /** The value of every record's {@code _format}: the format's name and version. */
    public static final String FORMAT = "trafficmirror-har/1";

    /** What a URL's host is when the request's own cannot be written into one. */
    static final String UNKNOWN_HOST = "localhost";

    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");
    private static final boolean CAN_DECODE = jacksonPresent();

    private RecordFormat() {
    }

    /**
     * One record, as a line without its line feed, in UTF-8.
     *
     * @throws NullPointerException if {@code exchange} is null
     */
    public static byte[] encode(RecordedExchange exchange) {
        MirrorRequest request = exchange.request();
        long latencyNanos = exchange.response().map(response -> response.latency().toNanos()).orElse(0L);
        String time = millis(latencyNanos);
        JsonText json = new JsonText(512 + request.bodyLength() * 4 / 3
                + exchange.response().map(PrimaryResponse::bodyLength).orElse(0) * 4 / 3);
        json.beginObject()
                .member("_format", FORMAT)
                .member("_id", exchange.id())
                .member("startedDateTime", exchange.receivedAt().truncatedTo(ChronoUnit.MICROS).toString())
                .name("time").number(time);
        request(json, exchange);
        response(json, exchange.response().orElse(null));
        json.name("cache").beginObject().endObject()
                .name("timings").beginObject()
                .member("send", 0).name("wait").number(time).member("receive", 0)
                .endObject();
        Redaction redaction = exchange.redaction();
        if (!redaction.isNone()) {
            json.name("_redaction").beginObject();
            strings(json.name("headers"), redaction.headers());
            strings(json.name("jsonPaths"), redaction.jsonPaths());
            strings(json.name("formFields"), redaction.formFields());
            json.endObject();
        }
        return json.endObject().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void request(JsonText json, RecordedExchange exchange) {
        MirrorRequest request = exchange.request();
        json.name("request").beginObject()
                .member("method", request.method())
                .member("url", url(request))
                .member("httpVersion", "HTTP/1.1")
                .name("cookies").beginArray().endArray();
        headers(json, request.headers());
        json.name("queryString").beginArray();
        if (request.query() != null && !request.query().isEmpty()) {
            for (String pair : request.query().split("&", -1)) {
                int equals = pair.indexOf('=');
                json.beginObject()
                        .member("name", formDecoded(equals < 0 ? pair : pair.substring(0, equals)))
                        .member("value", equals < 0 ? "" : formDecoded(pair.substring(equals + 1)))
                        .endObject();
            }
        }
        json.endArray();
        byte[] body = request.bodyBytes();
        String withheld = exchange.requestBodyWithheld().orElse(null);
        if (body.length > 0 || withheld != null) {
            json.name("postData").beginObject().member("mimeType", orEmpty(request.header("Content-Type")));
            body(json, body, "_encoding");
            if (withheld != null) {
                json.member("_withheld", withheld);
            }
            json.endObject();
        }
        json.member("headersSize", -1).member("bodySize", withheld != null ? -1 : body.length).endObject();
    }

    private static void response(JsonText json, PrimaryResponse response) {
        json.name("response").beginObject();
        if (response == null) {
            json.member("status", 0).member("statusText", "").member("httpVersion", "")
                    .name("cookies").beginArray().endArray()
                    .name("headers").beginArray().endArray()
                    .name("content").beginObject().member("size", 0).member("mimeType", "").endObject()
                    .member("redirectURL", "").member("headersSize", -1).member("bodySize", -1)
                    .member("_capture", "none").endObject();
            return;
        }
        boolean complete = response.capture() == PrimaryResponse.Capture.COMPLETE;
        json.member("status", response.status()).member("statusText", "").member("httpVersion", "HTTP/1.1")
                .name("cookies").beginArray().endArray();
        headers(json, response.headers());
        json.name("content").beginObject()
                .member("size", complete ? response.bodyLength() : 0)
                .member("mimeType", orEmpty(header(response.headers(), "Content-Type")));
        if (complete) {
            body(json, response.bodyBytes(), "encoding");
        }
        json.endObject()
                .member("redirectURL", orEmpty(header(response.headers(), "Location")))
                .member("headersSize", -1)
                .member("bodySize", complete ? response.bodyLength() : -1)
                .member("_capture", response.capture().name().toLowerCase(java.util.Locale.ROOT));
        if (response.note() != null) {
            json.member("_note", response.note());
        }
        json.endObject();
    }

    /** The body as text when it is valid UTF-8, else in base64 with {@code encodingField} saying so. */
    private static void body(JsonText json, byte[] body, String encodingField) {
        String text = utf8(body);
        if (text != null) {
            json.member("text", text);
        } else {
            json.member("text", Base64.getEncoder().encodeToString(body)).member(encodingField, "base64");
        }
    }

    private static void headers(JsonText json, List<Map.Entry<String, String>> headers) {
        json.name("headers").beginArray();
        for (Map.Entry<String, String> header : headers) {
            json.beginObject().member("name", header.getKey()).member("value", header.getValue()).endObject();
        }
        json.endArray();
    }

    private static void strings(JsonText json, List<String> values) {
        json.beginArray();
        values.forEach(json::value);
        json.endArray();
    }

    /**
     * The absolute URL HAR wants: the scheme the client used, the request's original host (its
     * {@code X-Forwarded-Host}, which every copy carries) when it is a plain host, then the raw path
     * and query exactly.
     */
    static String url(MirrorRequest request) {
        String scheme = "https".equalsIgnoreCase(request.scheme()) ? "https" : "http";
        String host = request.header("X-Forwarded-Host");
        if (host == null || !HOST.matcher(host).matches()) {
            host = UNKNOWN_HOST;
        }
        return scheme + "://" + host + request.path() + (request.query() == null ? "" : "?" + request.query());
    }

    /** Milliseconds, as HAR times are, with the nanoseconds kept: 1.234567. */
    static String millis(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(6).stripTrailingZeros().toPlainString();
    }

    private static String formDecoded(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The bytes as a string when they are valid UTF-8, so that encoding it again gives them back; else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String header(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /**
     * Reads one record back.
     *
     * @param line one line of a recording, without its line break
     * @throws RecordFormatException saying what is wrong, if the line is not a record of this format
     *     ({@link RecordFormatException#unknownVersion()} if it is one of another version)
     * @throws IllegalStateException if Jackson is not on the class path
     */
    public static RecordedExchange decode(String line) {
        return decode(line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads one record back from its UTF-8 bytes (a Kafka record's value, say).
     *
     * @throws RecordFormatException saying what is wrong, if the bytes are not a record of this format
     * @throws IllegalStateException if Jackson is not on the class path
     */
    public static RecordedExchange decode(byte[] utf8) {
        if (!CAN_DECODE) {
            throw new IllegalStateException("reading records needs Jackson (com.fasterxml.jackson.core:jackson-databind)"
                    + " on the class path");
        }
        return HarDecoder.decode(utf8);
    }

    /** Whether {@link #decode} can read records here: Jackson is on the class path. */
    public static boolean canDecode() {
        return CAN_DECODE;
    }

    /** When a request was received, from a record's {@code startedDateTime}; for the decoder. */
    static Instant instant(String text) {
        return java.time.OffsetDateTime.parse(text).toInstant();
    }

    private static boolean jacksonPresent() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, RecordFormat.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
