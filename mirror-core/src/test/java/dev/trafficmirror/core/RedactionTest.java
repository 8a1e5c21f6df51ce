package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordedExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What leaves the process in a recording: masked header values, form fields and JSON fields; bodies withheld when in doubt. */
class RedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Redaction CARDS = Redaction.defaults().headers("X-Api-Key")
            .jsonPaths("$.card.number", "$..password").formFields("password", "token");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Mirror mirror;

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
    }

    /** Records one exchange through a real file target with {@code redaction}, and reads the line back. */
    private String record(Redaction redaction, MirrorRequest request, PrimaryResponse answer) throws Exception {
        Path file = dir.resolve("r" + System.nanoTime() + ".jsonl");
        MirrorTarget target = MirrorTarget.of("rec", "file:" + file).headers(HeaderRules.defaults().remove("X-Internal"));
        mirror = Mirror.builder().target(target).redaction(redaction).meterRegistry(registry).build();
        mirror.integration().submit(request, answer);
        Meters.soon().until(() -> Meters.counted(mirror, "rec", Reason.NONE) == 1);
        mirror.close(Duration.ofSeconds(5));
        mirror = null;
        registry.clear();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    private static MirrorRequest json(String body) {
        return MirrorRequest.builder("POST", "/pay").query("token=abc&x=1").header("Content-Type", "application/json")
                .header("Authorization", "Bearer t0ken").header("Cookie", "SESSION=s3ss").header("X-Api-Key", "k3y")
                .header("X-Internal", "gone").header("Accept", "application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static PrimaryResponse answer(String contentType, String body) {
        return PrimaryResponse.builder(200).header("Content-Type", contentType).header("Set-Cookie", "SESSION=n3w")
                .body(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void shouldMaskJsonFieldsFormFieldsAndHeadersInTheRequestAndTheAnswer() throws Exception {
        String line = record(CARDS,
                json("{\"card\":{\"number\":\"4111111111111111\",\"cvc\":\"123\"},\"user\":{\"password\":\"hunter2\"},"
                        + "\"items\":[{\"password\":\"pw2\",\"sku\":7}]}"),
                answer("application/json", "{\"card\":{\"number\":\"4111111111111111\"},\"ok\":true}"));

        assertThat(line).doesNotContain("4111111111111111", "hunter2", "pw2", "t0ken", "s3ss", "k3y", "n3w", "abc", "gone");
        RecordedExchange record = RecordFormat.decode(line);
        JsonNode body = JSON.readTree(record.request().bodyBytes());
        assertThat(body.at("/card/number").asText()).isEqualTo("REDACTED");
        assertThat(body.at("/card/cvc").asText()).as("not named: kept").isEqualTo("123");
        assertThat(body.at("/user/password").asText()).isEqualTo("REDACTED");
        assertThat(body.at("/items/0/password").asText()).isEqualTo("REDACTED");
        assertThat(body.at("/items/0/sku").asInt()).isEqualTo(7);
        assertThat(record.request().query()).isEqualTo("token=REDACTED&x=1");
        assertThat(record.request().header("Authorization")).isEqualTo("REDACTED");
        assertThat(record.request().header("Cookie")).isEqualTo("REDACTED");
        assertThat(record.request().header("X-Api-Key")).isEqualTo("REDACTED");
        assertThat(record.request().header("Accept")).isEqualTo("application/json");
        assertThat(record.request().header("X-Internal")).as("header rules run first").isNull();
        PrimaryResponse primary = record.response().orElseThrow();
        assertThat(JSON.readTree(primary.bodyBytes()).at("/card/number").asText()).isEqualTo("REDACTED");
        assertThat(JSON.readTree(primary.bodyBytes()).at("/ok").asBoolean()).isTrue();
        assertThat(primary.headers()).contains(java.util.Map.entry("Set-Cookie", "REDACTED"));
        assertThat(record.redaction()).isEqualTo(CARDS);
        assertThat(JSON.readTree(line).at("/_redaction/jsonPaths/1").asText()).isEqualTo("$..password");
    }

    @Test
    void shouldMaskFormFieldsKeepingEveryOtherByte() throws Exception {
        MirrorRequest login = MirrorRequest.builder("POST", "/login")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .body("user=b%C3%B6b&password=hunter%32&pass%77ord=again&keep=%7E+x".getBytes(StandardCharsets.UTF_8))
                .build();

        RecordedExchange record = RecordFormat.decode(record(CARDS, login, null));

        assertThat(new String(record.request().bodyBytes(), StandardCharsets.UTF_8))
                .isEqualTo("user=b%C3%B6b&password=REDACTED&pass%77ord=REDACTED&keep=%7E+x");
    }

    @Test
    void shouldKeepABodyWithNothingToMaskByteForByte() throws Exception {
        String spaced = "{ \"price\" : 4.50,\n  \"tags\" : [ \"a\" ] }";

        RecordedExchange record = RecordFormat.decode(record(CARDS, json(spaced), answer("application/json", spaced)));

        assertThat(new String(record.request().bodyBytes(), StandardCharsets.UTF_8)).isEqualTo(spaced);
        assertThat(new String(record.response().orElseThrow().bodyBytes(), StandardCharsets.UTF_8)).isEqualTo(spaced);
    }

    @Test
    void shouldWithholdBodiesItCannotLookInto() throws Exception {
        String broken = record(CARDS, json("{\"password\":\"hunter2\""), answer("application/json", "{\"password\":"));
        assertThat(broken).doesNotContain("hunter2");
        RecordedExchange record = RecordFormat.decode(broken);
        assertThat(record.request().bodyLength()).isZero();
        assertThat(record.requestBodyWithheld()).contains("not valid JSON, so its fields could not be masked");
        assertThat(JSON.readTree(broken).at("/request/postData/_withheld").asText()).startsWith("not valid JSON");
        assertThat(record.response().orElseThrow().capture()).isEqualTo(PrimaryResponse.Capture.BODY_INCOMPLETE);
        assertThat(record.response().orElseThrow().note()).isEqualTo("withheld: not valid JSON, so its fields could not be masked");

        String twice = record(CARDS, json("{\"user\":{\"password\":\"one\"},\"user\":{\"name\":\"x\"}}"), null);
        assertThat(twice).as("a key given twice would hide a value from the walk").doesNotContain("\"one\"");
        assertThat(RecordFormat.decode(twice).requestBodyWithheld()).isPresent();

        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write("{\"password\":\"hunter2\"}".getBytes(StandardCharsets.UTF_8));
        }
        MirrorRequest compressed = MirrorRequest.builder("POST", "/pay").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").body(gzipped.toByteArray()).build();
        assertThat(RecordFormat.decode(record(CARDS, compressed, null)).requestBodyWithheld())
                .contains("a body with Content-Encoding gzip is not decoded to be masked");

        MirrorRequest multipart = MirrorRequest.builder("POST", "/upload").header("Content-Type", "multipart/form-data; b=x")
                .body("--x\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter2\r\n--x--".getBytes(
                        StandardCharsets.UTF_8)).build();
        assertThat(record(CARDS, multipart, null)).doesNotContain("hunter2");
    }

    @Test
    void shouldLookIntoWhatLooksLikeJsonWhateverItsContentType() throws Exception {
        MirrorRequest plain = MirrorRequest.builder("POST", "/x").header("Content-Type", "text/plain")
                .body(" {\"password\":\"hunter2\"}".getBytes(StandardCharsets.UTF_8)).build();

        assertThat(record(CARDS, plain, null)).doesNotContain("hunter2").contains("REDACTED");
    }

    @Test
    void shouldMaskCredentialsByDefaultAndNothingWhenToldSo() throws Exception {
        String byDefault = record(Redaction.defaults(), json("{}"), answer("text/plain", "ok"));
        String none = record(Redaction.none(), json("{}"), answer("text/plain", "ok"));

        assertThat(byDefault).doesNotContain("t0ken", "s3ss", "n3w").contains("k3y", "\"_redaction\"");
        assertThat(none).contains("t0ken", "s3ss", "n3w").doesNotContain("\"_redaction\"");
    }

    @Test
    void shouldRefuseRedactionSettingsThatCannotBeHonoured() {
        assertThatThrownBy(() -> Redaction.none().jsonPaths("card.number"))
                .hasMessageStartingWith("redact JSON path 'card.number' must start with $");
        assertThatThrownBy(() -> Redaction.none().headers("X Api")).hasMessageContaining("'X Api' is not a header name");
        assertThatThrownBy(() -> Redaction.none().formFields("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> MirrorTarget.of("http://v2").redaction(Redaction.none()))
                .hasMessageContaining("its redaction would not be used");
    }

    @Property(tries = 300)
    void shouldNeverRecordAMaskedFieldInClear(@ForAll long seed) {
        String document = document(new Random(seed), 4);
        Redactor redactor = new Redactor(Redaction.none().jsonPaths("$..password"));
        MirrorRequest request = MirrorRequest.builder("POST", "/").header("Content-Type", "application/json")
                .body(document.getBytes(StandardCharsets.UTF_8)).build();
        RecordedExchange exchange = new RecordedExchange("id", Instant.EPOCH, request,
                PrimaryResponse.builder(200).body(document.getBytes(StandardCharsets.UTF_8)).build(), Redaction.none());

        String line = new String(RecordFormat.encode(redactor.apply(exchange)), StandardCharsets.UTF_8);

        assertThat(line).as(document).doesNotContain("S3CRET").contains("REDACTED");
    }

    /**
     * A JSON object with the secret under "password" at random places and depths (a value, inside
     * an object or array below it), besides other keys and values.
     */
    private static String document(Random random, int depth) {
        StringBuilder json = new StringBuilder("{\"password\":").append(secret(random));
        int members = random.nextInt(4);
        for (int i = 0; i < members; i++) {
            json.append(",\"k").append(i).append("\":").append(value(random, depth - 1));
        }
        return json.append('}').toString();
    }

    private static String value(Random random, int depth) {
        int kind = depth <= 0 ? random.nextInt(3) : random.nextInt(6);
        return switch (kind) {
            case 0 -> Integer.toString(random.nextInt(100));
            case 1 -> "\"v" + random.nextInt(10) + "\"";
            case 2 -> random.nextBoolean() ? "null" : "[]";
            case 3 -> document(random, depth);
            case 4 -> "[" + value(random, depth - 1) + "," + document(random, depth - 1) + "]";
            default -> "{\"password\":" + secret(random) + ",\"n\":" + value(random, depth - 1) + "}";
        };
    }

    private static String secret(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> "\"S3CRET\"";
            case 1 -> "{\"deep\":\"S3CRET\"}";
            default -> "[\"S3CRET\",1]";
        };
    }
}
