package dev.trafficmirror.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.MirrorTarget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay tool in this JVM, against real shadow servers on loopback, from recordings made by a file: target. */
class ReplayTest {

    private static final int RECORDS = 12;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<MockWebServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (MockWebServer server : servers) {
            server.close();
        }
    }

    private MockWebServer shadow(java.util.function.IntFunction<mockwebserver3.MockResponse> answer) throws Exception {
        MockWebServer server = Shadows.start(answer);
        servers.add(server);
        return server;
    }

    private int replay(String... args) {
        return Replay.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String url(MockWebServer server) {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Test
    void shouldReplayEveryRecordAsRecordedAndFindTheSameAnswers() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        MockWebServer same = shadow(Shadows::same);

        int code = replay("--from", recording.toString(), "--to", url(same), "--max", "--compare", "--fail-on-mismatch",
                "--report", dir.resolve("report.html").toString());

        assertThat(code).as(printed() + err).isEqualTo(Replay.OK);
        assertThat(same.getRequestCount()).isEqualTo(RECORDS);
        List<RecordedRequest> copies = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            copies.add(same.takeRequest(5, TimeUnit.SECONDS));
        }
        RecordedRequest post = copies.stream().filter(r -> r.getMethod().equals("POST")).findFirst().orElseThrow();
        assertThat(post.getTarget()).isEqualTo("/products/" + RECORDS);
        assertThat(post.getBody().utf8()).isEqualTo("{\"stars\":5}");
        assertThat(post.getHeaders().get("X-Mirror-Id")).isEqualTo("req-" + RECORDS);
        RecordedRequest get = copies.stream().filter(r -> r.getTarget().equals("/products/1?lang=en")).findFirst()
                .orElseThrow();
        // The recorded copy's headers, sent once more: one X-Mirror-Id, the recorded id; the original host kept.
        assertThat(get.getHeaders().values("X-Mirror-Id")).containsExactly("req-1");
        assertThat(get.getHeaders().values("X-Forwarded-Host")).containsExactly("shop.example");
        assertThat(get.getHeaders().values("X-Forwarded-Proto")).containsExactly("https");
        assertThat(printed())
                .contains("12 records in 12 lines, 0 unreadable")
                .contains("mirrored 12 of 12 records to 127.0.0.1:" + same.getPort()
                        + ": completed 12, failed 0, dropped 0, skipped 0")
                .contains("12 compared = 12 match + 0 mismatch + 0 not comparable + 0 error")
                .contains("verdict       same: 12 of 12 compared answers match the recorded ones")
                .contains("exit          0: every answer as recorded");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<html", "replay of traffic.jsonl");
    }

    @Test
    void shouldFailOnMismatchAndListWhatDiffers() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        MockWebServer v2 = shadow(Shadows::differs);

        int code = replay("--from", recording.toString(), "--to", url(v2), "--name", "v2", "--max",
                "--fail-on-mismatch");

        assertThat(code).as(printed() + err).isEqualTo(Replay.MISMATCH);
        assertThat(v2.getRequestCount()).isEqualTo(RECORDS);
        assertThat(printed())
                .contains("v2 vs the recorded answers: 12 compared = 0 match + 12 mismatch")
                .containsPattern("\\$\\.stars\\s+removed\\s+12")
                .containsPattern("\\$\\.rating\\s+added\\s+11")
                .containsPattern("status\\s+changed\\s+1")
                .contains("v2            answered 12 copies: 200 x11, 500 x1")
                .contains("GET /products/3 id=req-3: status 200 -> 500,")
                .contains("verdict       v2 differs from the recording:")
                .contains("exit          1: 12 answer(s) differ from the recorded ones (--fail-on-mismatch)");
    }

    @Test
    void shouldNotFailOnADifferenceWithoutTheFlag() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        MockWebServer v2 = shadow(Shadows::differs);

        assertThat(replay("--from", recording.toString(), "--to", url(v2), "--max", "--compare")).isEqualTo(Replay.OK);
        assertThat(printed()).contains("12 mismatch");
    }

    @Test
    void shouldSetNoiseAsideWithAControlOrAnIgnoredPath() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        // Both versions stamp their answers: the field differs from the recording in every answer.
        java.util.function.IntFunction<mockwebserver3.MockResponse> stamped = product -> Shadows.json(200,
                Recordings.answer(product).replace("]}", "],\"servedAt\":\"" + System.nanoTime() + "\"}"));
        MockWebServer candidate = shadow(stamped);
        MockWebServer control = shadow(stamped);

        int code = replay("--from", recording.toString(), "--to", url(candidate), "--control", url(control), "--max",
                "--concurrency", "1", "--fail-on-mismatch");

        assertThat(code).as(printed() + err).isEqualTo(Replay.OK);
        assertThat(control.getRequestCount()).isEqualTo(RECORDS);
        assertThat(printed()).contains("the control, the primary's own version, differs from the recording in: "
                + "$.servedAt (12 answers)").contains("12 match + 0 mismatch");

        out.reset();
        MockWebServer alone = shadow(stamped);
        assertThat(replay("--from", recording.toString(), "--to", url(alone), "--max", "--fail-on-mismatch",
                "--ignore-path", "$.servedAt")).as(printed()).isEqualTo(Replay.OK);
        out.reset();
        assertThat(replay("--from", recording.toString(), "--to", url(alone), "--max", "--fail-on-mismatch"))
                .isEqualTo(Replay.MISMATCH);
        assertThat(printed()).containsPattern("\\$\\.servedAt\\s+added\\s+12");
    }

    @Test
    void shouldNameCorruptAndUnknownVersionLinesAndReplayTheRest() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        List<String> lines = Recordings.lines(recording);
        List<String> broken = new ArrayList<>(lines.subList(0, 3));
        broken.add("{\"_format\":\"trafficmirror-har/1\",\"request\":");                          // line 4: cut off
        broken.add(lines.get(3).replace("trafficmirror-har/1", "trafficmirror-har/9"));          // line 5: newer
        broken.add("");                                                                        // line 6: empty
        broken.addAll(lines.subList(4, lines.size()));
        Files.write(recording, broken, StandardCharsets.UTF_8);
        MockWebServer same = shadow(Shadows::same);

        int code = replay("--from", recording.toString(), "--to", url(same), "--max", "--fail-on-mismatch");

        assertThat(code).as(printed() + err).isEqualTo(Replay.INCOMPLETE);
        assertThat(same.getRequestCount()).isEqualTo(RECORDS - 1);
        assertThat(printed())
                .contains("11 records in 14 lines, 3 unreadable")
                .contains("unreadable    3 line(s) not replayed, 1 of another format version:")
                .contains("line 4: not JSON")
                .contains("line 5: _format is trafficmirror-har/9; this version reads trafficmirror-har/1")
                .contains("line 6: empty line")
                .contains("11 compared = 11 match")
                .contains("exit          4: 3 line(s) unreadable");
    }

    @Test
    void shouldSendNothingOnADryRun() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        Recordings.append(recording, List.of("not a record"));
        MockWebServer same = shadow(Shadows::same);

        int code = replay("--from", recording.toString(), "--to", url(same), "--rate", "4/s", "--dry-run");

        assertThat(code).isEqualTo(Replay.INCOMPLETE);
        assertThat(same.getRequestCount()).isZero();
        assertThat(printed())
                .contains("12 records in 13 lines, 1 unreadable")
                .contains("methods: GET x11, POST x1; primary answered (as recorded): 200 x12")
                .contains("GET /products/1?lang=en (0 bytes) id=req-1, recorded answer 200")
                .contains("line 13: not JSON")
                .contains("would send    12 records to " + url(same) + ", 4/s (about 3.0 s)")
                .contains("sent          nothing (--dry-run)");

        out.reset();
        Files.write(recording, Recordings.lines(recording).subList(0, RECORDS), StandardCharsets.UTF_8);
        assertThat(replay("--from", recording.toString(), "--dry-run")).isEqualTo(Replay.OK);
        assertThat(same.getRequestCount()).isZero();
    }

    @Test
    void shouldHonourTheRate() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), 20);
        MockWebServer same = shadow(Shadows::same);
        long started = System.nanoTime();

        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> replay("--from", recording.toString(),
                "--to", url(same), "--rate", "10/s"));

        // 20 records at 10/s: the 20th is due 1.9 s after the first. Not all of them within the first second...
        await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(5)).until(() -> same.getRequestCount() >= 5);
        assertThat(same.getRequestCount()).isLessThan(16);
        await().atMost(Duration.ofSeconds(20)).until(code::isDone);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(code.get()).isEqualTo(Replay.OK);
        assertThat(same.getRequestCount()).isEqualTo(20);
        // ...and all of them in roughly 2 s, with generous bounds for a loaded machine.
        assertThat(seconds).isBetween(1.8, 15.0);
        assertThat(printed()).contains("20 records in", "10/s");
    }

    @Test
    void shouldLoopUntilStoppedThenPrintTheSummarySoFar() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        MockWebServer same = shadow(Shadows::same);
        Replayer replayer = new Replayer(ReplayOptions.parse("--from", recording.toString(), "--to", url(same),
                "--max", "--loop", "--compare"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);

        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(replayer::run);
        await().atMost(Duration.ofSeconds(20)).until(() -> same.getRequestCount() > 3 * RECORDS);
        replayer.stop();

        assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(Replay.INTERRUPTED);
        assertThat(printed()).containsPattern("passes \\(--loop\\); INTERRUPTED")
                .contains("exit          130: interrupted: the summary so far")
                .contains("12 records in 12 lines");
        assertThat((long) same.getRequestCount()).isEqualTo(replayer.sent());
    }

    @Test
    void shouldCountWhatADeadShadowNeverAnswered() throws Exception {
        Path recording = Recordings.record(dir.resolve("traffic.jsonl"), RECORDS);
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        int code = replay("--from", recording.toString(), "--to", "http://127.0.0.1:" + port, "--max",
                "--fail-on-mismatch");

        assertThat(code).as(printed()).isEqualTo(Replay.INCOMPLETE);
        assertThat(printed()).contains("completed 0").contains("copies not answered");
    }

    @Test
    void shouldReplayARotatedRecordingOldestFirstNamingLinesByTheirFile() throws Exception {
        Path rotated = Files.createDirectories(dir.resolve("rotated"));
        // About two records a file: most of them rotate within a millisecond of the one before.
        Recordings.record(MirrorTarget.of("file:" + rotated.resolve("traffic.jsonl").toAbsolutePath())
                .fileRotation(1_500, 100), RECORDS);
        List<Path> files;
        try (var listed = Files.list(rotated)) {
            files = listed.sorted().toList(); // what a shell's traffic*.jsonl gives
        }
        assertThat(files).hasSizeGreaterThan(3).last().isEqualTo(rotated.resolve("traffic.jsonl"));
        Recordings.append(files.get(1), List.of("{broken"));
        MockWebServer same = shadow(Shadows::same);
        List<String> args = new ArrayList<>(List.of("--from"));
        files.forEach(file -> args.add(file.toString()));
        args.addAll(List.of("--to", url(same), "--max", "--concurrency", "1", "--compare"));

        int code = replay(args.toArray(String[]::new));

        assertThat(code).as(printed() + err).isEqualTo(Replay.INCOMPLETE);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            order.add(same.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("X-Mirror-Id"));
        }
        List<String> recorded = new ArrayList<>();
        for (int i = 1; i <= RECORDS; i++) {
            recorded.add("req-" + i);
        }
        assertThat(order).as("one in flight: sent in the recorded order, file after file").isEqualTo(recorded);
        int lines = RECORDS + 1;
        assertThat(printed())
                .contains("replay: " + files.get(0).getFileName() + " and " + (files.size() - 1) + " more -> ")
                .contains(files.get(0) + " ... " + rotated.resolve("traffic.jsonl") + " (" + files.size() + " files): "
                        + RECORDS + " records in " + lines + " lines, 1 unreadable")
                .contains(files.get(1).getFileName() + " line " + Recordings.lines(files.get(1)).size() + ": not JSON")
                .contains(RECORDS + " compared = " + RECORDS + " match");
    }

    @Test
    void shouldRefuseBadArgumentsWithUsage() {
        assertThat(replay("--to", "http://127.0.0.1:1")).isEqualTo(Replay.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mirror-replay: --from FILE or --from kafka://host:port/topic is required", "usage:");
        assertThat(replay("--from", "x", "--to", "ftp://x")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", "x", "--to", "http://x", "--rate", "fast")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", "x", "--to", "http://x", "--speed", "2x", "--max")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", "x", "--to", "http://x", "--bogus")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", "x", "-h")).as("-h is no second file").isEqualTo(Replay.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rate takes records per second",
                "--speed and --max are both given", "unknown flag '--bogus'");
        assertThat(printed()).isEmpty();
    }

    @Test
    void shouldSayWhenTheRecordingCannotBeRead() {
        assertThat(replay("--from", dir.resolve("missing.jsonl").toString(), "--to", "http://127.0.0.1:1"))
                .isEqualTo(Replay.UNREADABLE_RECORDING);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file:");
    }
}
