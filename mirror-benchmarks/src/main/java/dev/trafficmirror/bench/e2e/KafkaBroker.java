package dev.trafficmirror.bench.e2e;

import static dev.trafficmirror.bench.local.LocalProcesses.awaitPort;
import static dev.trafficmirror.bench.local.LocalProcesses.requireFree;

import dev.trafficmirror.bench.local.LocalProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * The Kafka broker of the end-to-end benchmark's Kafka setup: Kafka's own broker ({@code kafka.Kafka}
 * from kafka_2.13) in a JVM of its own, KRaft, one node that is broker and controller, listening on
 * 127.0.0.1 only, its data formatted fresh in the measurement's directory. And the benchmark's
 * side of it: the topic made before the primary starts, the records in it counted after.
 *
 * <p>Not Kafka's test kit ({@code KafkaClusterTestKit}), which would run in this JVM:
 * it binds its listeners on every interface ({@code new InetSocketAddress(0)}), on ports it picks.
 */
final class KafkaBroker {

    /** The topic the primary records to. */
    static final String TOPIC = "traffic";

    /** Partitions of {@link #TOPIC}: records keyed by X-Mirror-Id spread over them. */
    static final int PARTITIONS = 3;

    private KafkaBroker() {
    }

    /**
     * Formats {@code dir/data} and starts the broker, its clients' listener on 127.0.0.1:{@code port}
     * and its controller's on the next port; returns once topic {@link #TOPIC} exists.
     */
    static Process start(LocalProcesses processes, int port, Path dir) throws Exception {
        int controllerPort = port + 1;
        requireFree(port);
        requireFree(controllerPort);
        Path data = dir.toAbsolutePath().resolve("kafka-data");
        Path properties = dir.resolve("kafka-server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + data,
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                // The topic is made below; a misspelt one must not appear by itself.
                "auto.create.topics.enable=false",
                ""));
        Path formatLog = dir.resolve("kafka-format.log");
        Process format = processes.java("kafka.tools.StorageTool", List.of(), List.of("format", "--standalone",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", properties.toAbsolutePath().toString()),
                formatLog);
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the Kafka broker's storage failed: " + Files.readString(formatLog));
        }
        processes.stop(format);
        Path log = dir.resolve("kafka.log");
        Process broker = processes.java("kafka.Kafka", List.of("-Xms512m", "-Xmx512m"),
                List.of(properties.toAbsolutePath().toString()), log);
        try {
            awaitPort(port, broker, log);
            try (Admin admin = admin(port)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            processes.stop(broker);
            throw e;
        }
        return broker;
    }

    /** The records in {@link #TOPIC}: the sum of its partitions' end offsets (no transactions, no compaction). */
    static long records(int port) throws Exception {
        try (Admin admin = admin(port)) {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS)
                    .mapToObj(partition -> new TopicPartition(TOPIC, partition))
                    .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResultInfo::offset).sum();
        }
    }

    private static Admin admin(int port) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port));
    }
}
