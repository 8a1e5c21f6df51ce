package dev.trafficmirror.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.kafka.LoopbackKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay tool reading {@code --from kafka://}: a real KRaft broker in this JVM on loopback
 * (mirror-kafka's {@code LoopbackKafka}), topics recorded to by a {@code kafka://} target, real
 * shadow servers on loopback.
 */
class KafkaReplayTest {

    private static LoopbackKafka cluster;

    @TempDir
    Path dir;

    private final List<MockWebServer> servers = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = LoopbackKafka.start(Map.of());
        cluster.createTopics(new NewTopic("reviews", 3, (short) 1), new NewTopic("shared", 4, (short) 1),
                new NewTopic("live", 2, (short) 1));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void stopServers() throws Exception {
        for (MockWebServer server : servers) {
            server.close();
        }
    }

    @Test
    void shouldReplayATopicAndNameEachMessageThatIsNoRecordByPartitionAndOffset() throws Exception {
        Recordings.recordToKafka(topic("reviews"), 1, 12);
        RecordMetadata junk = produce("reviews", 1, "not a record".getBytes(StandardCharsets.UTF_8));
        RecordMetadata empty = produce("reviews", 2, null);
        MockWebServer same = shadow();

        Path report = dir.resolve("replay.html");
        int code = replay("--from", topic("reviews"), "--to", url(same), "--compare", "--report", report.toString());

        assertThat(code).as(printed() + err).isEqualTo(Replay.INCOMPLETE);
        assertThat(ids(same, 12)).containsExactlyInAnyOrderElementsOf(ids(1, 12));
        assertThat(printed())
                .contains("replay: reviews -> 127.0.0.1:" + same.getPort())
                .contains(topic("reviews") + ": 12 records in 14 messages, 2 unreadable")
                .contains("as fast as answered, 16 in flight")
                .contains("mirrored 12 of 12 records to 127.0.0.1:" + same.getPort() + ": completed 12, failed 0")
                .contains("12 compared = 12 match + 0 mismatch")
                .contains("2 message(s) not replayed")
                .contains("partition 1, offset " + junk.offset() + ": ")
                .contains("partition 2, offset " + empty.offset() + ": empty message (no value)")
                .contains("exit          4: 2 message(s) unreadable");
        assertThat(Files.readString(report)).contains("replay of reviews");
    }

    @Test
    void shouldShareATopicBetweenTheReplayersOfOneGroupAndHandEachRecordOverOnce() throws Exception {
        int records = 160;
        Recordings.recordToKafka(topic("shared"), 1, records);
        MockWebServer same = shadow();

        // A dry run reads without moving the group on.
        assertThat(replay("--from", topic("shared"), "--group", "ci", "--dry-run")).as(printed() + err)
                .isEqualTo(Replay.OK);
        assertThat(printed()).contains(records + " records in " + records + " messages, 0 unreadable");
        out.reset();

        Replayer first = replayer("--from", topic("shared"), "--to", url(same), "--group", "ci", "--rate", "20/s");
        Replayer second = replayer("--from", topic("shared"), "--to", url(same), "--group", "ci", "--rate", "20/s");
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(first::run);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.sent() > 0);
        CompletableFuture<Integer> two = CompletableFuture.supplyAsync(second::run);

        assertThat(one.get(60, TimeUnit.SECONDS)).as(printed() + err).isEqualTo(Replay.OK);
        assertThat(two.get(60, TimeUnit.SECONDS)).as(printed() + err).isEqualTo(Replay.OK);
        assertThat(first.sent() + second.sent()).isEqualTo(records);
        assertThat(second.sent()).as("the second replayer took partitions from the first").isPositive();
        assertThat(ids(same, records)).as("each record once").containsExactlyInAnyOrderElementsOf(ids(1, records));

        // The group has read the topic: a third replayer sends nothing, until more is recorded.
        out.reset();
        assertThat(replay("--from", topic("shared"), "--to", url(same), "--group", "ci")).isEqualTo(Replay.OK);
        assertThat(printed()).contains("0 records in 0 messages");
        Recordings.recordToKafka(topic("shared"), records + 1, records + 5);
        out.reset();
        assertThat(replay("--from", topic("shared"), "--to", url(same), "--group", "ci")).isEqualTo(Replay.OK);
        assertThat(printed()).contains("5 records in 5 messages");
        assertThat(ids(same, 5)).containsExactlyInAnyOrderElementsOf(ids(records + 1, records + 5));
    }

    @Test
    void shouldFollowATopicAsRecordsArriveUntilStopped() throws Exception {
        MockWebServer same = shadow();
        Replayer replayer = replayer("--from", topic("live"), "--to", url(same), "--follow", "--compare");
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(replayer::run);

        Recordings.recordToKafka(topic("live"), 1, 6);
        await().atMost(Duration.ofSeconds(30)).until(() -> same.getRequestCount() == 6);
        replayer.stop();

        assertThat(code.get(30, TimeUnit.SECONDS)).as(printed() + err).isEqualTo(Replay.INTERRUPTED);
        assertThat(printed()).contains("6 records in 6 messages").contains("INTERRUPTED")
                .contains("6 compared = 6 match");
    }

    @Test
    void shouldSayWhenTheTopicCannotBeRead() throws Exception {
        assertThat(replay("--from", topic("missing"), "--to", "http://127.0.0.1:1")).isEqualTo(Replay.UNREADABLE_RECORDING);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("there is no topic missing at");

        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        err.reset();
        assertThat(replay("--from", "kafka://127.0.0.1:" + port + "/reviews", "--to", "http://127.0.0.1:1"))
                .isEqualTo(Replay.UNREADABLE_RECORDING);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("no broker at 127.0.0.1:" + port + " answered within 10 s");
        assertThat(printed()).isEmpty();
    }

    @Test
    void shouldRefuseWhatATopicCannotDoWithUsage() {
        String from = "kafka://127.0.0.1:9/reviews";
        assertThat(replay("--from", from, "--to", "http://x", "--loop")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", from, "--to", "http://x", "--speed", "2x")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", from, "--follow", "--dry-run")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", "traffic.jsonl", "--to", "http://x", "--group", "ci")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", "kafka://127.0.0.1:9/bad$topic", "--to", "http://x")).isEqualTo(Replay.USAGE);
        assertThat(replay("--from", from, "--to", "http://x", "--kafka-property", "group.id=other"))
                .isEqualTo(Replay.USAGE);
        assertThat(replay("--from", from, "--to", "http://x", "--kafka-property", "securty.protocol=SSL"))
                .isEqualTo(Replay.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "--loop replays a file again and again",
                "--speed keeps the recorded pace, which needs the recorded order",
                "--follow and --dry-run do not go together",
                "--group is for reading a Kafka topic",
                "names topic 'bad$topic', which is not a Kafka topic name",
                "Kafka consumer setting 'group.id' cannot be set",
                "Kafka consumer setting 'securty.protocol' is unknown");
        assertThat(printed()).isEmpty();
    }

    private static String topic(String name) {
        return "kafka://" + cluster.bootstrapServers() + "/" + name;
    }

    private static RecordMetadata produce(String topic, int partition, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, partition, null, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private MockWebServer shadow() throws Exception {
        MockWebServer server = Shadows.start(Shadows::same);
        servers.add(server);
        return server;
    }

    private static String url(MockWebServer server) {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** The X-Mirror-Ids of the next {@code count} copies the shadow took. */
    private static List<String> ids(MockWebServer server, int count) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
            assertThat(request).as("copy " + (i + 1) + " of " + count).isNotNull();
            ids.add(request.getHeaders().get("X-Mirror-Id"));
        }
        assertThat(server.takeRequest(200, TimeUnit.MILLISECONDS)).as("no copy more").isNull();
        return ids;
    }

    private static Set<String> ids(int first, int last) {
        Set<String> ids = new HashSet<>();
        for (int i = first; i <= last; i++) {
            ids.add("req-" + i);
        }
        return ids;
    }

    private Replayer replayer(String... args) {
        return new Replayer(ReplayOptions.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private int replay(String... args) {
        return Replay.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
