package dev.trafficmirror.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar, as users run it: {@code java -jar target/mirror-replay-<version>.jar}, in a JVM
 * of its own (this one's Java), against a real shadow. Runs after {@code package} (failsafe).
 */
class ReplayJarIT {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("replay.jar", "target/mirror-replay.jar"));
        assertThat(jar).as("the runnable jar").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("replay", ".out");
        Path err = Files.createTempFile("replay", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("java -jar did not end within 60 s");
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    @Test
    void shouldReplayFromTheCommandLineWithItsExitCodes() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), 8);
        try (MockWebServer same = Shadows.start(Shadows::same); MockWebServer v2 = Shadows.start(Shadows::differs)) {
            Run ok = java("--from", recording.toString(), "--to", "http://127.0.0.1:" + same.getPort(), "--speed", "10x",
                    "--fail-on-mismatch");
            assertThat(ok.code()).as(ok.out() + ok.err()).isEqualTo(Replay.OK);
            assertThat(ok.out()).contains("8 compared = 8 match", "exit          0");
            // Not on a terminal: no progress lines, no INFO lines in a CI log.
            assertThat(ok.err()).isEmpty();
            assertThat(same.getRequestCount()).isEqualTo(8);

            Run differs = java("--from", recording.toString(), "--to", "http://127.0.0.1:" + v2.getPort(), "--max",
                    "--fail-on-mismatch");
            assertThat(differs.code()).as(differs.out()).isEqualTo(Replay.MISMATCH);
            assertThat(differs.out()).contains("8 mismatch", "status 200 -> 500");

            Run dry = java("--from", recording.toString(), "--dry-run");
            assertThat(dry.code()).isEqualTo(Replay.OK);
            assertThat(dry.out()).contains("8 records in 8 lines", "sent          nothing (--dry-run)");
        }
        Run usage = java("--from", recording.toString(), "--to", "localhost:9081");
        assertThat(usage.code()).isEqualTo(Replay.USAGE);
        assertThat(usage.err()).contains("--to takes an http:// or https:// URL", "exit codes:");

        // Kafka's client is in the jar: its own definitions check a consumer setting.
        Run kafka = java("--from", "kafka://127.0.0.1:9/traffic", "--to", "http://127.0.0.1:9",
                "--kafka-property", "securty.protocol=SSL");
        assertThat(kafka.code()).as(kafka.err()).isEqualTo(Replay.USAGE);
        assertThat(kafka.err()).contains("Kafka consumer setting 'securty.protocol' is unknown");
    }
}
