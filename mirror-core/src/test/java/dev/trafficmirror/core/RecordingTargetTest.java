package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordedExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording targets writing to real files: what a record holds, rotation, a full disk, a disk that stalls. */
class RecordingTargetTest {

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

    private static MirrorRequest post(int i) {
        return MirrorRequest.builder("POST", "/reviews/" + i).query("page=" + i)
                .header("Host", "shop.example").header("Content-Type", "application/json")
                .header("X-Request-Id", "req-" + i).header("X-Secret", "s3cr3t")
                .remoteAddress("10.0.0.9")
                .body(("{\"stars\":" + (i % 5) + "}").getBytes(StandardCharsets.UTF_8)).build();
    }

    private static PrimaryResponse answer(int i) {
        return PrimaryResponse.builder(200).header("Content-Type", "application/json")
                .body(("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8)).latency(Duration.ofMillis(3)).build();
    }

    private static List<RecordedExchange> read(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(RecordFormat::decode).toList();
        }
    }

    @Test
    void shouldRecordEachExchangeAsItsCopyWouldBeSentWithThePrimarysAnswer() throws Exception {
        Path file = dir.resolve("logs/traffic.jsonl");
        mirror = Mirror.builder().target(MirrorTarget.of("file:" + file).headers(HeaderRules.defaults().remove("X-Secret")))
                .meterRegistry(registry).build();
        Instant before = Instant.now();

        for (int i = 0; i < 20; i++) {
            mirror.integration().submit(post(i), answer(i));
        }
        Meters.soon().until(() -> Meters.count(registry, "traffic.jsonl", Reason.NONE) == 20);
        Instant after = Instant.now();

        List<RecordedExchange> records = read(file);
        assertThat(records).hasSize(20);
        RecordedExchange seventh = records.get(7);
        assertThat(seventh.id()).isEqualTo("req-7");
        assertThat(seventh.request().method()).isEqualTo("POST");
        assertThat(seventh.request().path()).isEqualTo("/reviews/7");
        assertThat(seventh.request().query()).isEqualTo("page=7");
        assertThat(seventh.request().bodyBytes()).isEqualTo("{\"stars\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(seventh.request().header("X-Secret")).as("header rules applied").isNull();
        assertThat(seventh.request().header("X-Mirror-Id")).isEqualTo("req-7");
        assertThat(seventh.request().header("X-Forwarded-Host")).isEqualTo("shop.example");
        assertThat(seventh.request().header("X-Forwarded-For")).isEqualTo("10.0.0.9");
        assertThat(seventh.request().header("Host")).as("as the copy goes: the target's own Host").isNull();
        PrimaryResponse primary = seventh.response().orElseThrow();
        assertThat(primary.status()).isEqualTo(200);
        assertThat(primary.bodyBytes()).isEqualTo("{\"id\":7}".getBytes(StandardCharsets.UTF_8));
        assertThat(primary.latency()).isEqualTo(Duration.ofMillis(3));
        assertThat(seventh.receivedAt()).isBetween(before.minusMillis(4), after);
        assertThat(Meters.counted(mirror, "traffic.jsonl")).isEqualTo(20);
        assertThat(mirror.toString()).contains("traffic.jsonl=file:" + file + " at 100.0% (recorded)");
    }

    @Test
    void shouldTakeItsShareLikeAnyTargetBesideAShadowOverHttp() throws Exception {
        try (MockWebServer shadow = new MockWebServer()) {
            shadow.start();
            for (int i = 0; i < 10; i++) {
                shadow.enqueue(new MockResponse.Builder().code(204).build());
            }
            Path file = dir.resolve("api.jsonl");
            mirror = Mirror.builder()
                    .target(MirrorTarget.of("v2", shadow.url("/").toString()))
                    .target(MirrorTarget.of("file:" + file).condition(Conditions.requestTo("/api/**")))
                    .meterRegistry(registry).build();

            for (int i = 0; i < 10; i++) {
                mirror.integration().submit(MirrorRequest.builder("GET", (i % 2 == 0 ? "/api/" : "/web/") + i).build(),
                        answer(i));
            }

            Meters.soon().until(() -> Meters.count(registry, "v2", Reason.NONE) == 10
                    && Meters.count(registry, "api.jsonl", Reason.NONE) == 5);
            assertThat(Meters.count(registry, "api.jsonl", Reason.EXCLUDED)).isEqualTo(5);
            assertThat(read(file)).extracting(record -> record.request().path())
                    .containsExactly("/api/0", "/api/2", "/api/4", "/api/6", "/api/8");
        }
    }

    @Test
    void shouldRotateBySizeKeepingABoundedNumberOfWholeFiles() throws Exception {
        Path file = dir.resolve("traffic.jsonl");
        mirror = Mirror.builder().target(MirrorTarget.of("file:" + file).fileRotation(4_000, 2))
                .meterRegistry(registry).build();

        for (int i = 0; i < 200; i++) {
            mirror.integration().submit(post(i), answer(i));
            if (i % 20 == 19) {
                int done = i + 1;
                Meters.soon().until(() -> Meters.count(registry, "traffic.jsonl", Reason.NONE) == done);
            }
        }
        mirror.close(Duration.ofSeconds(5));

        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        assertThat(files).hasSize(3);
        assertThat(files.get(0).getFileName().toString()).matches("traffic\\.\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?\\.jsonl");
        assertThat(files.get(2)).isEqualTo(file);
        List<String> ids = new ArrayList<>();
        for (Path each : files) {
            assertThat(Files.size(each)).isLessThanOrEqualTo(4_000);
            read(each).forEach(record -> ids.add(record.id()));
        }
        assertThat(ids).isNotEmpty().last().isEqualTo("req-199");
        int first = Integer.parseInt(ids.get(0).substring(4));
        assertThat(ids).as("whole records, in order, none lost within the kept files")
                .isEqualTo(java.util.stream.IntStream.range(first, 200).mapToObj(i -> "req-" + i).toList());
    }

    @Test
    void shouldDropAndCountRecordsOnAFullDiskWhileEveryPrimaryRequestGoesOn() {
        Path full = Path.of("/dev/full");
        mirror = Mirror.builder().target(MirrorTarget.of("disk", "file:" + full)).meterRegistry(registry).build();

        for (int i = 0; i < 100; i++) {
            mirror.integration().submit(post(i), answer(i));
        }

        Meters.soon().until(() -> Meters.count(registry, "disk", Reason.DISK_FULL)
                + Meters.count(registry, "disk", Reason.QUEUE_FULL) == 100);
        assertThat(Meters.count(registry, "disk", Reason.DISK_FULL)).isPositive();
        assertThat(Meters.count(registry, "disk", Reason.NONE)).isZero();
        assertThat(Meters.count(registry, "disk", Reason.CIRCUIT_OPEN)).as("a full disk drops, it does not fail")
                .isZero();
    }

    @Test
    void shouldNeverMakeTheRequestThreadWaitForADiskThatStalls() throws Exception {
        Path fifo = dir.resolve("stalled.jsonl");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        CountDownLatch drain = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                drain.await();
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        reader.start();
        mirror = Mirror.builder().target(MirrorTarget.of("stalled", "file:" + fifo)).queueCapacity(10)
                .meterRegistry(registry).build();
        byte[] big = new byte[32 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');

        // The pipe holds 64 KiB: the writer thread blocks in write() while nobody reads, and stays blocked.
        for (int i = 0; i < 1_000; i++) {
            mirror.integration().submit(post(i).withBody(big), answer(i));
        }

        assertThat(drain.getCount()).as("every submit returned while the disk was stalled").isEqualTo(1);
        Meters.soon().until(() -> Meters.count(registry, "stalled", Reason.QUEUE_FULL) >= 900);
        drain.countDown();
        Meters.soon().until(() -> Meters.count(registry, "stalled", Reason.NONE)
                + Meters.count(registry, "stalled", Reason.QUEUE_FULL) == 1_000);
        mirror.close(Duration.ofSeconds(5));
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Test
    void shouldFailStartUpForAFileThatCannotBeWritten() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> Mirror.builder().target("file:" + notADirectory.resolve("traffic.jsonl"))
                .meterRegistry(registry).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot open " + notADirectory.resolve("traffic.jsonl") + " to record to");
        assertThat(registry.getMeters()).as("nothing left registered").isEmpty();
    }

    @Test
    void shouldRefuseWhatARecordingTargetCannotDo() {
        assertThatThrownBy(() -> MirrorTarget.of("file:/tmp/t.jsonl").compare(true))
                .hasMessageContaining("has no answers to compare");
        assertThatThrownBy(() -> MirrorTarget.of("file:/tmp/").percentage(1)).hasMessageContaining("must name a file");
        assertThatThrownBy(() -> MirrorTarget.of("file://host/t.jsonl")).hasMessageContaining("without a host");
        assertThatThrownBy(() -> MirrorTarget.of("http://v2").fileRotation(10, 1))
                .hasMessageContaining("its file rotation would not be used");
        assertThatThrownBy(() -> MirrorTarget.of("kafka://broker:9092/traffic"))
                .hasMessage("target url 'kafka://broker:9092/traffic' records to kafka, which needs"
                        + " dev.trafficmirror:mirror-kafka on the class path: add the artifact"
                        + " dev.trafficmirror:mirror-kafka (mirror-bom manages its version)");
        assertThatThrownBy(() -> MirrorTarget.of("ftp://v2")).hasMessageContaining("must start with http://");
        assertThat(MirrorTarget.of("file:traffic.jsonl").name()).isEqualTo("traffic.jsonl");
        assertThat(MirrorTarget.of("file:///var/log/traffic.jsonl").records()).isTrue();
        assertThat(MirrorTarget.of("http://v2").records()).isFalse();
    }
}
