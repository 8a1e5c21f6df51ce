package dev.trafficmirror.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Redaction;
import dev.trafficmirror.core.integration.PrimaryResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The recording format: a HAR 1.2 entry per line, read back exactly as it was written. */
class RecordFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-01T10:15:00.123456Z");

    private static RecordedExchange exchange(MirrorRequest request, PrimaryResponse response) {
        return new RecordedExchange("req-1", AT, request, response, Redaction.none());
    }

    private static MirrorRequest post() {
        return MirrorRequest.builder("POST", "/reviews/7%2F8").query("sort=new&q=caf%C3%A9+au+lait&flag")
                .scheme("https")
                .header("Content-Type", "application/json").header("X-Mirror-Id", "req-1")
                .header("X-Forwarded-Host", "shop.example:8443").header("Accept", "a").header("Accept", "b")
                .body("{\"stars\":5,\"text\":\"très \\\"bien\\\"\\n\"}".getBytes(StandardCharsets.UTF_8)).build();
    }

    private static PrimaryResponse answer() {
        return PrimaryResponse.builder(201).header("Content-Type", "application/json").header("Location", "/reviews/9")
                .body("{\"id\":9}".getBytes(StandardCharsets.UTF_8)).latency(Duration.ofNanos(1_234_567)).build();
    }

    @Test
    void shouldWriteOneHarEntryPerLineWithEveryFieldHarRequires() throws Exception {
        byte[] line = RecordFormat.encode(exchange(post(), answer()));

        assertThat(new String(line, StandardCharsets.UTF_8)).doesNotContain("\n", "\r");
        JsonNode entry = JSON.readTree(line);
        assertThat(entry.get("_format").asText()).isEqualTo("trafficmirror-har/1");
        assertThat(entry.get("_id").asText()).isEqualTo("req-1");
        assertThat(entry.get("startedDateTime").asText()).isEqualTo("2026-12-01T10:15:00.123456Z");
        assertThat(entry.get("time").decimalValue()).isEqualByComparingTo("1.234567");
        assertThat(entry.get("timings").get("wait").decimalValue()).isEqualByComparingTo("1.234567");
        assertThat(entry.get("timings").has("send")).isTrue();
        assertThat(entry.get("timings").has("receive")).isTrue();
        assertThat(entry.get("cache").isObject()).isTrue();
        JsonNode request = entry.get("request");
        assertThat(request.get("method").asText()).isEqualTo("POST");
        assertThat(request.get("url").asText())
                .isEqualTo("https://shop.example:8443/reviews/7%2F8?sort=new&q=caf%C3%A9+au+lait&flag");
        assertThat(request.get("httpVersion").asText()).isEqualTo("HTTP/1.1");
        assertThat(request.get("cookies").isArray()).isTrue();
        assertThat(request.get("headers")).hasSize(5);
        assertThat(request.get("headers").get(3).get("name").asText()).isEqualTo("Accept");
        assertThat(request.get("queryString").get(1).get("value").asText()).isEqualTo("café au lait");
        assertThat(request.get("queryString").get(2).get("name").asText()).isEqualTo("flag");
        assertThat(request.get("postData").get("mimeType").asText()).isEqualTo("application/json");
        assertThat(request.get("postData").get("text").asText()).isEqualTo("{\"stars\":5,\"text\":\"très \\\"bien\\\"\\n\"}");
        assertThat(request.get("headersSize").asInt()).isEqualTo(-1);
        assertThat(request.get("bodySize").asInt()).isEqualTo(post().bodyLength());
        JsonNode response = entry.get("response");
        assertThat(response.get("status").asInt()).isEqualTo(201);
        assertThat(response.get("statusText").isTextual()).isTrue();
        assertThat(response.get("httpVersion").asText()).isEqualTo("HTTP/1.1");
        assertThat(response.get("cookies").isArray()).isTrue();
        assertThat(response.get("content").get("size").asInt()).isEqualTo(8);
        assertThat(response.get("content").get("mimeType").asText()).isEqualTo("application/json");
        assertThat(response.get("content").get("text").asText()).isEqualTo("{\"id\":9}");
        assertThat(response.get("content").has("encoding")).isFalse();
        assertThat(response.get("redirectURL").asText()).isEqualTo("/reviews/9");
        assertThat(response.get("bodySize").asInt()).isEqualTo(8);
        assertThat(response.get("_capture").asText()).isEqualTo("complete");
        assertThat(entry.has("_redaction")).isFalse();
    }

    @Test
    void shouldWriteBodiesThatAreNotUtf8InBase64() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        MirrorRequest upload = MirrorRequest.builder("PUT", "/img").header("Content-Type", "image/png").body(png).build();
        PrimaryResponse answer = PrimaryResponse.builder(200).header("Content-Type", "image/png").body(png.clone()).build();

        JsonNode entry = JSON.readTree(RecordFormat.encode(exchange(upload, answer)));

        assertThat(entry.get("request").get("postData").get("_encoding").asText()).isEqualTo("base64");
        assertThat(entry.get("request").get("postData").get("text").asText()).isEqualTo("iVBORwD/");
        assertThat(entry.get("response").get("content").get("encoding").asText()).isEqualTo("base64");
        RecordedExchange back = RecordFormat.decode(RecordFormat.encode(exchange(upload, answer)));
        assertThat(back.request().bodyBytes()).isEqualTo(png);
        assertThat(back.response().orElseThrow().bodyBytes()).isEqualTo(png);
    }

    @Test
    void shouldSayHowMuchOfTheAnswerWasCaptured() {
        PrimaryResponse incomplete = PrimaryResponse.builder(200).header("Content-Type", "text/plain")
                .bodyIncomplete("over the capture limit").build();
        MirrorRequest get = MirrorRequest.builder("GET", "/").build();

        RecordedExchange back = RecordFormat.decode(RecordFormat.encode(exchange(get, incomplete)));
        RecordedExchange none = RecordFormat.decode(RecordFormat.encode(exchange(get, null)));

        assertThat(back.response().orElseThrow().capture()).isEqualTo(PrimaryResponse.Capture.BODY_INCOMPLETE);
        assertThat(back.response().orElseThrow().note()).isEqualTo("over the capture limit");
        assertThat(none.response()).isEmpty();
        assertThat(new String(RecordFormat.encode(exchange(get, null)), StandardCharsets.UTF_8))
                .contains("\"status\":0", "\"_capture\":\"none\"");
    }

    @Test
    void shouldEscapeWhatWouldBreakALineOrUtf8() throws Exception {
        MirrorRequest odd = MirrorRequest.builder("GET", "/").header("X-Odd", "a\u2028b\ud800c\u0001")
                .body("line\nbreak\u0000".getBytes(StandardCharsets.UTF_8)).build();

        byte[] line = RecordFormat.encode(exchange(odd, null));

        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n", "\u2028", "\u0000").contains("\\u2028", "\\ud800", "\\u0001", "\\n");
        assertThat(RecordFormat.decode(line).request().header("X-Odd")).isEqualTo("a\u2028b\ud800c\u0001");
    }

    @Test
    void shouldNameWhatIsWrongWithALine() {
        assertThatThrownBy(() -> RecordFormat.decode("{\"stars\":")).isInstanceOf(RecordFormatException.class)
                .hasMessageStartingWith("not JSON").matches(e -> !((RecordFormatException) e).unknownVersion());
        assertThatThrownBy(() -> RecordFormat.decode("{\"_format\":\"trafficmirror-har/2\"}"))
                .isInstanceOf(RecordFormatException.class).hasMessageContaining("trafficmirror-har/2")
                .matches(e -> ((RecordFormatException) e).unknownVersion());
        assertThatThrownBy(() -> RecordFormat.decode("{\"request\":{}}")).hasMessageContaining("no _format")
                .matches(e -> ((RecordFormatException) e).unknownVersion());
        String good = new String(RecordFormat.encode(exchange(post(), answer())), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RecordFormat.decode(good.replace("\"method\":\"POST\"", "\"method\":7")))
                .hasMessage("request.method is not a string");
        assertThatThrownBy(() -> RecordFormat.decode(good.replace("\"status\":201", "\"status\":42")))
                .hasMessage("response.status is not a 3-digit HTTP status");
        assertThatThrownBy(() -> RecordFormat.decode(good.replace("https://", "ftp://")))
                .hasMessageContaining("is not an http(s) URL");
    }

    @Property(tries = 300)
    void shouldReadBackExactlyWhatWasWritten(@ForAll("requests") MirrorRequest request,
            @ForAll("answers") PrimaryResponse answer) {
        RecordedExchange written = new RecordedExchange("id-" + request.hashCode(), AT, request, answer,
                Redaction.none());

        RecordedExchange read = RecordFormat.decode(RecordFormat.encode(written));

        assertThat(read.id()).isEqualTo(written.id());
        assertThat(read.receivedAt()).isEqualTo(AT);
        assertThat(read.request().method()).isEqualTo(request.method());
        assertThat(read.request().path()).isEqualTo(request.path());
        assertThat(read.request().query()).isEqualTo(request.query());
        assertThat(read.request().headers()).isEqualTo(request.headers());
        assertThat(read.request().bodyBytes()).isEqualTo(request.bodyBytes());
        assertThat(read.request().scheme()).isEqualTo(request.scheme());
        PrimaryResponse back = read.response().orElseThrow();
        assertThat(back.status()).isEqualTo(answer.status());
        assertThat(back.headers()).isEqualTo(answer.headers());
        assertThat(back.bodyBytes()).isEqualTo(answer.bodyBytes());
        assertThat(back.latency()).isEqualTo(answer.latency());
    }

    @Provide
    Arbitrary<MirrorRequest> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "PROPFIND");
        Arbitrary<String> path = Arbitraries.strings().withChars("abcXYZ019-._~%2F").ofMaxLength(20).map(p -> "/" + p);
        Arbitrary<String> query = Arbitraries.strings().withChars("ab=&+%20é").ofMaxLength(12).injectNull(0.3);
        Arbitrary<List<Map.Entry<String, String>>> headers = Combinators.combine(
                Arbitraries.strings().withChars("AbZ-_!#").ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().ofMaxLength(20)).as(Map::entry).list().ofMaxSize(5);
        Arbitrary<byte[]> body = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.strings().ofMaxLength(64).map(s -> s.getBytes(StandardCharsets.UTF_8)));
        return Combinators.combine(method, path, query, headers, body, Arbitraries.of("http", "https"))
                .as((m, p, q, h, b, scheme) -> {
                    MirrorRequest.Builder builder = MirrorRequest.builder(m, p).query(q).scheme(scheme).body(b);
                    h.forEach(header -> builder.header(header.getKey(), header.getValue()));
                    return builder.build();
                });
    }

    @Provide
    Arbitrary<PrimaryResponse> answers() {
        return Combinators.combine(Arbitraries.integers().between(100, 599),
                Arbitraries.strings().ofMaxLength(30).list().ofMaxSize(3),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.longs().between(0, 10_000_000_000L))
                .as((status, values, body, nanos) -> {
                    List<Map.Entry<String, String>> headers = new ArrayList<>();
                    values.forEach(value -> headers.add(Map.entry("X-Value", value)));
                    return PrimaryResponse.builder(status).headers(headers).body(body).latency(Duration.ofNanos(nanos))
                            .build();
                });
    }
}
