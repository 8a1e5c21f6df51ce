package dev.trafficmirror.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordedExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recording to a real Kafka broker (KRaft, in this JVM, on loopback: {@link LoopbackKafka}): what
 * arrives, read back, and a broker that goes away and comes back.
 */
class KafkaRecordingTest {

    private static LoopbackKafka cluster;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Mirror> mirrors = new ArrayList<>();
    private final AtomicInteger probes = new AtomicInteger();
    /** How many requests each mirror was given. */
    private final Map<Mirror, AtomicInteger> submitted = new HashMap<>();

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = LoopbackKafka.start(Map.of());
        cluster.createTopics(new NewTopic("traffic", 3, (short) 1), new NewTopic("outage", 1, (short) 1),
                new NewTopic("readback", 2, (short) 1));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeMirrors() {
        mirrors.forEach(mirror -> mirror.close(Duration.ofSeconds(5)));
    }

    @Test
    void shouldProduceEachExchangeKeyedByItsMirrorIdAsALineOfTheRecordingFormat() throws Exception {
        Mirror mirror = mirror(MirrorTarget.of("kafka://" + cluster.bootstrapServers() + "/traffic"));
        probeUntilWritten(mirror, "traffic");
        long before = count(mirror, "traffic", Reason.NONE);

        for (int i = 0; i < 30; i++) {
            submit(mirror, MirrorRequest.builder("POST", "/reviews/" + i).query("page=" + i)
                    .header("X-Request-Id", "req-" + i).header("Authorization", "Bearer s3cret")
                    .header("Content-Type", "application/json")
                    .body(("{\"stars\":" + i + "}").getBytes(StandardCharsets.UTF_8)).build(),
                    PrimaryResponse.builder(201).header("Content-Type", "application/json")
                            .body(("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8)).latency(Duration.ofMillis(3))
                            .build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(mirror, "traffic", Reason.NONE) == before + 30);

        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        Set<Integer> partitions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : consume("traffic", 3, (int) before + 30)) {
            RecordedExchange exchange = RecordFormat.decode(record.value());
            if (exchange.request().path().startsWith("/reviews/")) {
                byKey.put(new String(record.key(), StandardCharsets.UTF_8), record);
                partitions.add(record.partition());
            }
        }
        assertThat(byKey).hasSize(30);
        for (int i = 0; i < 30; i++) {
            ConsumerRecord<byte[], byte[]> record = byKey.get("req-" + i);
            RecordedExchange exchange = RecordFormat.decode(record.value());
            assertThat(exchange.id()).isEqualTo("req-" + i);
            assertThat(exchange.request().method()).isEqualTo("POST");
            assertThat(exchange.request().path()).isEqualTo("/reviews/" + i);
            assertThat(exchange.request().query()).isEqualTo("page=" + i);
            assertThat(new String(exchange.request().bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"stars\":" + i + "}");
            assertThat(exchange.request().header("X-Mirror-Id")).isEqualTo("req-" + i);
            assertThat(exchange.request().header("Authorization")).as("redacted by default").isEqualTo("REDACTED");
            PrimaryResponse answer = exchange.response().orElseThrow();
            assertThat(answer.status()).isEqualTo(201);
            assertThat(new String(answer.bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":" + i + "}");
            assertThat(record.timestamp()).isEqualTo(exchange.receivedAt().toEpochMilli());
            assertThat(new String(record.headers().lastHeader(KafkaRecorder.FORMAT_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo(RecordFormat.FORMAT);
        }
        assertThat(partitions).as("keyed by X-Mirror-Id, the records spread over the partitions").hasSizeGreaterThan(1);
    }

    @Test
    void shouldReadBackEveryRecordUpToTheEndTheTopicHadWhenTheReaderOpened() throws Exception {
        String url = "kafka://" + cluster.bootstrapServers() + "/readback";
        Mirror mirror = mirror(MirrorTarget.of(url));
        probeUntilWritten(mirror, "readback");
        long before = count(mirror, "readback", Reason.NONE);
        for (int i = 0; i < 10; i++) {
            submit(mirror, request("/read/" + i), PrimaryResponse.builder(200).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(mirror, "readback", Reason.NONE) == before + 10);

        List<String> paths = new ArrayList<>();
        Set<String> positions = new HashSet<>();
        // A caller slower than the stall timeout is no stalled topic (one message a poll: it polls after the wait).
        try (KafkaRecordReader reader = KafkaRecordReader.builder(url).stallTimeout(Duration.ofMillis(500))
                .properties(Map.of("max.poll.records", "1")).open()) {
            assertThat(reader.size()).isEqualTo(before + 10);
            submit(mirror, request("/after-open"), PrimaryResponse.builder(200).build());
            await().atMost(Duration.ofSeconds(30)).until(() -> count(mirror, "readback", Reason.NONE) == before + 11);
            KafkaRecordReader.Message message;
            while ((message = reader.next()) != null) {
                paths.add(RecordFormat.decode(message.value()).request().path());
                positions.add(message.position());
                reader.done(message);
                if (paths.size() == 1) {
                    long held = System.nanoTime();
                    await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                            .until(() -> System.nanoTime() - held > 700_000_000L);
                }
            }
        }
        assertThat(paths).hasSize((int) before + 10).contains("/read/0", "/read/9").doesNotContain("/after-open");
        assertThat(positions).as("each message named once").hasSize(paths.size())
                .allMatch(position -> position.matches("partition [01], offset \\d+"));

        try (KafkaRecordReader following = KafkaRecordReader.builder(url).follow(true).open()) {
            // Following, the reader takes what came after it opened too (and would wait for more).
            List<String> all = new ArrayList<>();
            for (int i = 0; i < before + 11; i++) {
                all.add(RecordFormat.decode(following.next().value()).request().path());
            }
            assertThat(all).contains("/after-open").containsAll(paths);
        }
    }

    @Test
    void shouldDropAndCountRecordsWhileTheBrokerIsDownNeverWaitingAndResumeWhenItIsBack() throws Exception {
        // Short timeouts so that the records of the outage expire within the test.
        Map<String, String> quick = Map.of("delivery.timeout.ms", "5000", "request.timeout.ms", "3000", "linger.ms", "0",
                "reconnect.backoff.max.ms", "200", "retry.backoff.max.ms", "200");
        String url = "kafka://" + cluster.bootstrapServers() + "/outage";
        Mirror running = mirror(MirrorTarget.of(url).recorderProperties(quick));
        probeUntilWritten(running, "outage");
        // Room for about two of the records below in the producer's buffer. Once no broker answers,
        // Kafka's client soon forgets the topic's partitions (metadata.recovery.strategy=rebootstrap)
        // and drops each record at once; this one keeps them, so that its records fill the buffer.
        Map<String, String> tight = new HashMap<>(quick);
        tight.putAll(Map.of("buffer.memory", "4096", "batch.size", "1024", "metadata.recovery.strategy", "none"));
        Mirror small = mirror(MirrorTarget.of(url).recorderProperties(tight));
        probeUntilWritten(small, "outage");
        // A reader behind the end, opened while the broker answered; it has not fetched a message yet.
        KafkaRecordReader behind = KafkaRecordReader.builder(url).stallTimeout(Duration.ofSeconds(2)).open();
        cluster.stop();
        long unavailable = count(running, "outage", Reason.BROKER_UNAVAILABLE);
        try {
            for (int i = 0; i < 10; i++) {
                submit(running, request("/during/" + i), PrimaryResponse.builder(200).build());
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> count(running, "outage", Reason.BROKER_UNAVAILABLE) == unavailable + 10);

            // Records the broker does not take fill the buffer; what does not fit is dropped at once.
            long smallUnavailable = count(small, "outage", Reason.BROKER_UNAVAILABLE);
            byte[] kilobyte = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 10; i++) {
                submit(small, MirrorRequest.builder("POST", "/full/" + i).body(kilobyte).build(),
                        PrimaryResponse.builder(200).build());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count(small, "outage", Reason.BUFFER_FULL)
                    + count(small, "outage", Reason.BROKER_UNAVAILABLE) == smallUnavailable + 10);
            assertThat(count(small, "outage", Reason.BUFFER_FULL)).isPositive();

            // A mirror started while no broker answers knows no partitions: with max.block.ms=0 each
            // record is dropped at once. Were the writer to wait for them (max.block.ms's default is
            // 60 s), these would not be counted within seconds, one after the other.
            Mirror late = mirror(MirrorTarget.of(url).recorderProperties(quick));
            for (int i = 1; i <= 5; i++) {
                submit(late, request("/late/" + i), PrimaryResponse.builder(200).build());
                long expected = i;
                await().atMost(Duration.ofSeconds(5)).until(() -> count(late, "outage", Reason.BROKER_UNAVAILABLE) == expected);
            }
            assertThat(count(late, "outage", Reason.NONE)).isZero();
            assertThat(count(running, "outage", Reason.QUEUE_FULL) + count(late, "outage", Reason.QUEUE_FULL)).isZero();
            assertThat(count(running, "outage", Reason.CIRCUIT_OPEN)).as("drops do not open the breaker").isZero();
            // With no broker, the reader says so after its stall timeout instead of waiting for ever.
            try (behind) {
                assertThatThrownBy(behind::next).isInstanceOf(java.io.IOException.class)
                        .hasMessageContaining("no message for 2 s, and outage is not read to its end: partition 0 at its start of");
            }
        } finally {
            cluster.startAgain();
        }

        probeUntilWritten(running, "outage");
        long before = count(running, "outage", Reason.NONE);
        for (int i = 0; i < 10; i++) {
            submit(running, request("/after/" + i), PrimaryResponse.builder(200).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(running, "outage", Reason.NONE) == before + 10);

        List<String> paths = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consume("outage", 1, (int) (before + 10 + count(small, "outage", Reason.NONE)))) {
            paths.add(RecordFormat.decode(record.value()).request().path());
        }
        assertThat(paths).contains("/after/0", "/after/9").noneMatch(path -> path.startsWith("/during/"))
                .noneMatch(path -> path.startsWith("/late/")).noneMatch(path -> path.startsWith("/full/"));
    }

    private Mirror mirror(MirrorTarget target) {
        Mirror mirror = Mirror.builder().target(target).meterRegistry(registry).name("m" + mirrors.size()).build();
        mirrors.add(mirror);
        return mirror;
    }

    private void submit(Mirror mirror, MirrorRequest request, PrimaryResponse answer) {
        submitted.computeIfAbsent(mirror, m -> new AtomicInteger()).incrementAndGet();
        mirror.integration().submit(request, answer);
    }

    private static MirrorRequest request(String path) {
        return MirrorRequest.builder("GET", path).build();
    }

    /**
     * Submits a request every 100 ms until one is written: the producer learns the topic's partitions
     * from the broker shortly after it starts (or the broker is back), and drops records until then.
     * Returns once every probe is counted, so that what is counted next is the test's.
     */
    private void probeUntilWritten(Mirror mirror, String target) {
        long written = count(mirror, target, Reason.NONE);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            submit(mirror, request("/probe/" + probes.incrementAndGet()), PrimaryResponse.builder(200).build());
            return count(mirror, target, Reason.NONE) > written;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> stats(mirror, target).requests() == submitted.get(mirror).get());
    }

    private static long count(Mirror mirror, String target, Reason reason) {
        return stats(mirror, target).count(reason);
    }

    private static TargetStats stats(Mirror mirror, String target) {
        return mirror.stats().stream().filter(stats -> stats.target().name().equals(target)).findFirst().orElseThrow();
    }

    /** Every record of a topic, from the start, until there are {@code atLeast}. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int partitions, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= atLeast;
            });
        }
        return records;
    }
}
