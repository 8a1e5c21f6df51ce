package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without Jackson (run with it left off the class path): no JSON paths, headers and forms masked all the same. */
class RedactionWithoutJacksonTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToBuildAMirrorThatWouldRecordJsonFieldsInClear() throws Exception {
        assertThat(getClass().getClassLoader().getResource("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();

        assertThatThrownBy(() -> Mirror.builder().target("file:" + dir.resolve("t.jsonl"))
                .redaction(Redaction.defaults().jsonPaths("$.card.number")).meterRegistry(new SimpleMeterRegistry())
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("redaction of JSON paths [$.card.number] needs Jackson (com.fasterxml.jackson.core:"
                        + "jackson-databind) on the class path, or target 't.jsonl' would record those fields in clear:"
                        + " add jackson-databind, or mask no JSON paths");
    }

    @Test
    void shouldStillRecordAndMaskHeadersAndForms() throws Exception {
        Path file = dir.resolve("forms.jsonl");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mirror mirror = Mirror.builder().target("file:" + file).redaction(Redaction.defaults().formFields("password"))
                .meterRegistry(registry).build();
        try {
            mirror.integration().submit(MirrorRequest.builder("POST", "/login").header("Authorization", "Basic c2VjcmV0")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body("user=bob&password=hunter2".getBytes(StandardCharsets.UTF_8)).build(),
                    PrimaryResponse.builder(302).header("Location", "/home").build());
            Meters.soon().until(() -> Meters.count(registry, "forms.jsonl", Reason.NONE) == 1);
        } finally {
            mirror.close(Duration.ofSeconds(5));
        }

        String line = Files.readString(file);
        assertThat(line).doesNotContain("hunter2", "c2VjcmV0")
                .contains("user=bob&password=REDACTED", "\"name\":\"Authorization\",\"value\":\"REDACTED\"",
                        "\"redirectURL\":\"/home\"");
    }
}
