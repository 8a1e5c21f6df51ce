package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.Redaction;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.integration.PrimaryResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Recording targets from properties: file: and kafka:// URLs, their redaction, recorder settings and rotation. */
class MirrorRecordingPropertiesTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class));

    @TempDir
    Path dir;

    private static MirrorTarget target(Mirror mirror, String name) {
        return mirror.stats().stream().map(TargetStats::target).filter(target -> target.name().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void shouldRecordToAFileMaskingWhatTheRedactPropertiesSay() {
        Path file = dir.resolve("traffic.jsonl");
        web.withPropertyValues("mirror.compare.enabled=true", "mirror.redact.headers=X-Api-Key",
                "mirror.redact.json-paths=$.card.number,$..password", "mirror.redact.form-fields=token",
                "mirror.targets[0].url=file:" + file, "mirror.targets[0].max-file-size=10MB",
                "mirror.targets[0].max-files=3").run(context -> {
                    assertThat(context).hasNotFailed();
                    Mirror mirror = context.getBean(Mirror.class);
                    MirrorTarget target = target(mirror, "traffic.jsonl");
                    assertThat(target.records()).isTrue();
                    assertThat(target.compares()).as("mirror.compare.enabled is not for a recording target").isFalse();
                    assertThat(target.maxFileBytes()).isEqualTo(10L << 20);
                    assertThat(target.maxFiles()).isEqualTo(3);

                    mirror.integration().submit(MirrorRequest.builder("POST", "/pay").query("token=t0k&x=1")
                            .header("Authorization", "Bearer s3cret").header("X-Api-Key", "k3y")
                            .header("Content-Type", "application/json")
                            .body("{\"card\":{\"number\":\"4111111111111111\"},\"user\":{\"password\":\"hunter2\"}}"
                                    .getBytes(StandardCharsets.UTF_8)).build(),
                            PrimaryResponse.builder(200).build());
                    await().atMost(Duration.ofSeconds(10)).until(() -> mirror.stats().get(0).count(Reason.NONE) == 1);
                });

        String line = read(file);
        assertThat(line).doesNotContain("s3cret", "k3y", "4111111111111111", "hunter2", "t0k")
                .contains("token=REDACTED&x=1", "\"jsonPaths\":[\"$.card.number\",\"$..password\"]");
    }

    @Test
    void shouldGiveATargetItsOwnRedactionReplacingTheMirrors() {
        web.withPropertyValues("mirror.redact.json-paths=$..password", "mirror.targets[0].url=file:" + dir.resolve("a.jsonl"),
                "mirror.targets[1].url=file:" + dir.resolve("b.jsonl"), "mirror.targets[1].redact.default-headers=false")
                .run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    assertThat(target(mirror, "a.jsonl").redaction()).isEmpty();
                    assertThat(target(mirror, "b.jsonl").redaction()).contains(Redaction.none());
                });
    }

    @Test
    void shouldProduceToKafkaWithTheRecorderProperties() {
        // No broker is needed to start: the producer connects on its own thread, and never makes the mirror wait.
        web.withPropertyValues("mirror.targets[0].url=kafka://127.0.0.1:9/traffic",
                "mirror.targets[0].recorder.compression.type=lz4", "mirror.targets[0].recorder.acks=1").run(context -> {
                    assertThat(context).hasNotFailed();
                    MirrorTarget target = target(context.getBean(Mirror.class), "traffic");
                    assertThat(target.records()).isTrue();
                    assertThat(target.recorderProperties()).containsEntry("compression.type", "lz4")
                            .containsEntry("acks", "1");
                });
    }

    @Test
    void shouldRefuseRecordingSettingsThatCannotBeHonouredNamingTheProperty() {
        refused("mirror.targets[0].redact.json-paths", "redact JSON path 'card.number' must start with $",
                "mirror.targets[0].url=file:" + dir.resolve("t.jsonl"), "mirror.targets[0].redact.json-paths=card.number");
        refused("mirror.redact.headers", "'X Api' is not a header name", "mirror.redact.headers=X Api",
                "mirror.targets[0].url=file:" + dir.resolve("t.jsonl"));
        refused("mirror.targets[0].redact", "its redaction would not be used", "mirror.targets[0].url=http://v2",
                "mirror.targets[0].redact.form-fields=password");
        refused("mirror.targets[0].recorder", "records to a file, which takes no recorder properties",
                "mirror.targets[0].url=file:" + dir.resolve("t.jsonl"), "mirror.targets[0].recorder.acks=1");
        refused("mirror.targets[0].recorder", "Kafka producer setting 'max.block.ms' must be 0",
                "mirror.targets[0].url=kafka://127.0.0.1:9/traffic", "mirror.targets[0].recorder.max.block.ms=5000");
        refused("mirror.targets[0].max-files", "not to a file: its file rotation would not be used", "mirror.targets[0].url=kafka://127.0.0.1:9/traffic",
                "mirror.targets[0].max-files=3");
    }

    private void refused(String property, String message, String... properties) {
        web.withPropertyValues(properties).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining(property).hasMessageContaining(message));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
