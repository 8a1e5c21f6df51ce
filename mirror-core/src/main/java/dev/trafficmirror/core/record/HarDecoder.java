package dev.trafficmirror.core.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Redaction;
import dev.trafficmirror.core.integration.PrimaryResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads a record of {@link RecordFormat#FORMAT} with Jackson. The only class of the package that
 * touches Jackson: it is loaded only when {@link RecordFormat} found Jackson on the class path.
 */
final class HarDecoder {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private HarDecoder() {
    }

    static RecordedExchange decode(byte[] utf8) {
        JsonNode entry;
        try {
            entry = MAPPER.readTree(utf8);
        } catch (JsonProcessingException e) {
            throw corrupt("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw corrupt("not JSON: " + e.getMessage(), e);
        }
        if (entry == null || !entry.isObject()) {
            throw corrupt("not a JSON object", null);
        }
        JsonNode format = entry.get("_format");
        if (format == null || !format.isTextual()) {
            throw new RecordFormatException("no _format: not a record of " + RecordFormat.FORMAT, true, null);
        }
        if (!format.asText().equals(RecordFormat.FORMAT)) {
            throw new RecordFormatException("_format is " + format.asText() + "; this version reads "
                    + RecordFormat.FORMAT, true, null);
        }
        String id = text(entry, "_id", "");
        Instant receivedAt;
        try {
            receivedAt = RecordFormat.instant(text(entry, "startedDateTime", ""));
        } catch (DateTimeParseException e) {
            throw corrupt("startedDateTime is not an ISO 8601 date and time", e);
        }
        Duration latency = duration(entry);
        JsonNode request = object(entry, "request", "");
        JsonNode postData = request.get("postData");
        String withheld = postData != null && postData.isObject() ? optionalText(postData, "_withheld") : null;
        RecordedExchange exchange = new RecordedExchange(id, receivedAt, request(request), response(
                object(entry, "response", ""), latency), redaction(entry.get("_redaction")));
        return withheld == null ? exchange : exchange.withRequestBodyWithheld(withheld);
    }

    private static MirrorRequest request(JsonNode request) {
        String method = text(request, "method", "request.");
        String url = text(request, "url", "request.");
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw corrupt("request.url '" + abbreviate(url) + "' is not an http(s) URL", null);
        }
        int pathStart = url.indexOf('/', schemeEnd + 3);
        String target = pathStart < 0 ? "/" : url.substring(pathStart);
        int question = target.indexOf('?');
        MirrorRequest.Builder builder;
        try {
            builder = MirrorRequest.builder(method, question < 0 ? target : target.substring(0, question))
                    .query(question < 0 ? null : target.substring(question + 1))
                    .scheme(scheme);
            headers(request, "request.").forEach(header -> builder.header(header[0], header[1]));
        } catch (IllegalArgumentException e) {
            throw corrupt("request: " + e.getMessage(), e);
        }
        JsonNode postData = request.get("postData");
        if (postData != null && !postData.isNull()) {
            if (!postData.isObject()) {
                throw corrupt("request.postData is not an object", null);
            }
            builder.body(body(postData, "_encoding", "request.postData."));
        }
        return builder.build();
    }

    private static PrimaryResponse response(JsonNode response, Duration latency) {
        String capture = optionalText(response, "_capture");
        if ("none".equals(capture)) {
            return null;
        }
        JsonNode status = response.get("status");
        if (status == null || !status.canConvertToInt() || status.asInt() < 100 || status.asInt() > 999) {
            throw corrupt("response.status is not a 3-digit HTTP status", null);
        }
        PrimaryResponse.Builder builder = PrimaryResponse.builder(status.asInt()).latency(latency);
        headers(response, "response.").forEach(header -> builder.header(header[0], header[1]));
        String note = optionalText(response, "_note");
        String kind = capture == null ? "complete" : capture;
        switch (kind) {
            case "complete" -> builder.body(body(object(response, "content", "response."), "encoding",
                    "response.content."));
            case "body_incomplete" -> builder.bodyIncomplete(note == null ? "the body was not captured whole" : note);
            case "container_answer" -> builder.containerAnswer(note == null ? "written by the container" : note);
            case "unknown" -> builder.unknown(note == null ? "the answer was not known" : note);
            default -> throw corrupt("response._capture is '" + abbreviate(kind)
                    + "'; one of complete, body_incomplete, container_answer, unknown, none", null);
        }
        return builder.build();
    }

    private static byte[] body(JsonNode holder, String encodingField, String where) {
        JsonNode text = holder.get("text");
        if (text == null || text.isNull()) {
            return new byte[0];
        }
        if (!text.isTextual()) {
            throw corrupt(where + "text is not a string", null);
        }
        String encoding = optionalText(holder, encodingField);
        if (encoding == null) {
            return text.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (!encoding.equals("base64")) {
            throw corrupt(where + encodingField + " is '" + abbreviate(encoding) + "'; only base64 is read", null);
        }
        try {
            return Base64.getDecoder().decode(text.asText());
        } catch (IllegalArgumentException e) {
            throw corrupt(where + "text is not valid base64", e);
        }
    }

    private static List<String[]> headers(JsonNode holder, String where) {
        JsonNode headers = holder.get("headers");
        if (headers == null || !headers.isArray()) {
            throw corrupt(where + "headers is not an array", null);
        }
        List<String[]> list = new ArrayList<>(headers.size());
        for (JsonNode header : headers) {
            if (!header.isObject()) {
                throw corrupt(where + "headers holds something other than an object", null);
            }
            String name = text(header, "name", where + "headers[].");
            if (name.isEmpty()) {
                throw corrupt(where + "headers holds an empty name", null);
            }
            list.add(new String[] {name, text(header, "value", where + "headers[].")});
        }
        return list;
    }

    private static Redaction redaction(JsonNode node) {
        if (node == null || node.isNull()) {
            return Redaction.none();
        }
        if (!node.isObject()) {
            throw corrupt("_redaction is not an object", null);
        }
        try {
            return Redaction.none().headers(strings(node, "headers")).jsonPaths(strings(node, "jsonPaths"))
                    .formFields(strings(node, "formFields"));
        } catch (IllegalArgumentException e) {
            throw corrupt("_redaction: " + e.getMessage(), e);
        }
    }

    private static String[] strings(JsonNode holder, String field) {
        JsonNode array = holder.get(field);
        if (array == null || array.isNull()) {
            return new String[0];
        }
        if (!array.isArray()) {
            throw corrupt("_redaction." + field + " is not an array", null);
        }
        String[] values = new String[array.size()];
        for (int i = 0; i < values.length; i++) {
            if (!array.get(i).isTextual()) {
                throw corrupt("_redaction." + field + " holds something other than a string", null);
            }
            values[i] = array.get(i).asText();
        }
        return values;
    }

    private static Duration duration(JsonNode entry) {
        JsonNode time = entry.get("time");
        if (time == null || !time.isNumber() || time.decimalValue().signum() < 0) {
            throw corrupt("time is not a number of milliseconds", null);
        }
        BigDecimal nanos = time.decimalValue().movePointRight(6);
        try {
            return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw corrupt("time is out of range", e);
        }
    }

    private static JsonNode object(JsonNode holder, String field, String where) {
        JsonNode node = holder.get(field);
        if (node == null || !node.isObject()) {
            throw corrupt(where + field + " is not an object", null);
        }
        return node;
    }

    private static String text(JsonNode holder, String field, String where) {
        JsonNode node = holder.get(field);
        if (node == null || !node.isTextual()) {
            throw corrupt(where + field + " is not a string", null);
        }
        return node.asText();
    }

    private static String optionalText(JsonNode holder, String field) {
        JsonNode node = holder.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw corrupt(field + " is not a string", null);
        }
        return node.asText();
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static RecordFormatException corrupt(String message, Throwable cause) {
        return new RecordFormatException(message, false, cause);
    }
}
