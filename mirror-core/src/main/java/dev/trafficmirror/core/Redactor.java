package dev.trafficmirror.core;

import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordedExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Applies a recording target's {@link Redaction} to each exchange, on its writer thread: header
 * values by name, form fields by name (in the query and in form bodies), JSON fields by path, in
 * the request and in the primary's answer. Fails closed: a body it should look into but cannot is
 * withheld, and the record says why.
 */
final class Redactor {

    private final Redaction redaction;
    private final Set<String> headers;
    private final Set<String> formFields;
    /** {@code null} when no JSON path is masked (and then Jackson is not needed). */
    private final JsonMask json;

    Redactor(Redaction redaction) {
        this.redaction = redaction;
        this.headers = Set.copyOf(redaction.headers());
        this.formFields = Set.copyOf(redaction.formFields());
        this.json = redaction.jsonPaths().isEmpty() ? null : new JsonMask(redaction.jsonPaths());
    }

    /** The exchange as it may leave the process. */
    RecordedExchange apply(RecordedExchange exchange) {
        if (redaction.isNone()) {
            return exchange;
        }
        MirrorRequest request = exchange.request();
        MirrorRequest masked = request.withHeaders(headers(request.headers()))
                .withTarget(request.path(), query(request.query()));
        Masked body = body(request.bodyArray(), request.header("Content-Type"), request.header("Content-Encoding"));
        PrimaryResponse response = exchange.response().map(this::response).orElse(null);
        RecordedExchange redacted = exchange.with(body.bytes == null ? masked : masked.withBody(body.bytes), response,
                redaction);
        return body.withheld == null ? redacted : redacted.withRequestBodyWithheld(body.withheld);
    }

    private PrimaryResponse response(PrimaryResponse response) {
        PrimaryResponse.Builder builder = PrimaryResponse.builder(response.status()).headers(headers(response.headers()))
                .latency(response.latency());
        switch (response.capture()) {
            case COMPLETE -> {
                byte[] original = response.bodyBytes();
                Masked body = body(original, header(response.headers(), "Content-Type"),
                        header(response.headers(), "Content-Encoding"));
                if (body.withheld != null) {
                    builder.bodyIncomplete("withheld: " + body.withheld);
                } else {
                    builder.body(body.bytes == null ? original : body.bytes);
                }
            }
            case BODY_INCOMPLETE -> builder.bodyIncomplete(response.note());
            case CONTAINER_ANSWER -> builder.containerAnswer(response.note());
            case UNKNOWN -> builder.unknown(response.note());
            default -> throw new IllegalStateException("capture " + response.capture());
        }
        return builder.build();
    }

    private List<Map.Entry<String, String>> headers(List<Map.Entry<String, String>> original) {
        if (headers.isEmpty()) {
            return original;
        }
        List<Map.Entry<String, String>> masked = new ArrayList<>(original.size());
        for (Map.Entry<String, String> header : original) {
            masked.add(headers.contains(header.getKey().toLowerCase(Locale.ROOT))
                    ? Map.entry(header.getKey(), Redaction.MASK) : header);
        }
        return masked;
    }

    private String query(String query) {
        return query == null || formFields.isEmpty() ? query : form(query);
    }

    /** A body masked ({@code bytes}; {@code null}: unchanged), or withheld, and why. */
    private record Masked(byte[] bytes, String withheld) {
        static final Masked UNCHANGED = new Masked(null, null);
    }

    private Masked body(byte[] body, String contentType, String contentEncoding) {
        if (body.length == 0 || !redaction.masksBodies()) {
            return Masked.UNCHANGED;
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean form = type.equals("application/x-www-form-urlencoded");
        boolean looksJson = type.endsWith("/json") || type.endsWith("+json") || (!form && startsLikeJson(body));
        boolean encoded = contentEncoding != null && !contentEncoding.isBlank()
                && !contentEncoding.trim().equalsIgnoreCase("identity");
        if (encoded && (json != null || !formFields.isEmpty())) {
            return new Masked(null, "a body with Content-Encoding " + contentEncoding.trim() + " is not decoded to be masked");
        }
        if (!formFields.isEmpty() && type.startsWith("multipart/")) {
            return new Masked(null, "a multipart body is not masked field by field");
        }
        if (form && !formFields.isEmpty()) {
            // ISO-8859-1: one character per byte, so that what is not masked keeps its exact bytes.
            String masked = form(new String(body, StandardCharsets.ISO_8859_1));
            return new Masked(masked.getBytes(StandardCharsets.ISO_8859_1), null);
        }
        if (looksJson && json != null) {
            try {
                byte[] masked = json.mask(body);
                return masked == body ? Masked.UNCHANGED : new Masked(masked, null);
            } catch (IOException e) {
                return new Masked(null, "not valid JSON, so its fields could not be masked");
            }
        }
        return Masked.UNCHANGED;
    }

    /** A form ({@code a=1&b=2}, raw) with the values of the masked fields replaced. */
    private String form(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        String[] pairs = raw.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            out.append(i == 0 ? "" : "&");
            if (formFields.contains(decoded(name)) || formFields.contains(name)) {
                out.append(name).append('=').append(Redaction.MASK);
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }

    private static String decoded(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static boolean startsLikeJson(byte[] body) {
        for (byte b : body) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }

    private static String header(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
