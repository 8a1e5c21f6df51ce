package dev.trafficmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.replay.Replay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's two commands, briefly: the demo with --record, then --replay of that file against v2. */
class RecordAndReplayDemoTest {

    @TempDir
    Path dir;

    @Test
    void shouldRecordV1sExchangesThenReplayThemAgainstV2WithAVerdict() throws Exception {
        Path recording = dir.resolve("reviews.jsonl");
        ByteArrayOutputStream demo = new ByteArrayOutputStream();
        DemoOptions record = DemoOptions.parse("--duration", "1s", "--qps", "50", "--report",
                dir.resolve("report.html").toString(), "--record", recording.toString());
        DemoResult result = ReviewsDemo.run(record, new PrintStream(demo, true, StandardCharsets.UTF_8));
        long requests = record.requests();

        assertThat(demo.toString(StandardCharsets.UTF_8)).contains(String.format("recorded %d of %d exchanges to %s:"
                + " written %d, failed 0, dropped 0, skipped 0", requests, requests, recording, requests));
        assertThat(Files.readAllLines(recording)).hasSize((int) requests)
                .allSatisfy(line -> assertThat(line).startsWith("{\"_format\":\"trafficmirror-har/1\""));
        long v2Errors = result.v2().serverErrors();

        ByteArrayOutputStream replay = new ByteArrayOutputStream();
        DemoOptions again = DemoOptions.parse("--report", dir.resolve("report.html").toString(), "--replay",
                recording.toString());
        int code = ReplayDemo.run(again, new PrintStream(replay, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String summary = replay.toString(StandardCharsets.UTF_8);

        assertThat(code).as(summary).isEqualTo(Replay.OK);
        assertThat(summary)
                .contains(String.format("%d records in %d lines, 0 unreadable", requests, requests))
                .contains(String.format("mirrored %d of %d records to reviews-v2: completed %d, failed 0, dropped 0,"
                        + " skipped 0", requests, requests, requests))
                .contains("differs from the recording in: $.servedAt (" + requests + " answers)")
                .containsPattern("\\$\\.reviews\\[\\*]\\.rating\\s+added\\s+" + (requests - v2Errors))
                .contains("verdict       reviews-v2 differs from the recording:")
                .contains(String.format("%d answers were 5xx; the primary answered 0 5xx", v2Errors));
        assertThat(dir.resolve("reviews-replay-report.html")).exists();
    }
}
