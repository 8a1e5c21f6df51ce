package dev.trafficmirror.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in the test JVM, listening on 127.0.0.1 only: Kafka's own server
 * ({@code KafkaRaftServer}, KRaft, one node that is broker and controller), its storage formatted
 * fresh in a directory of its own. Not Kafka's test kit, whose listeners bind every interface.
 * It can be stopped and started again on the same ports and data, as a broker that goes away and
 * comes back.
 */
public final class LoopbackKafka implements AutoCloseable {

    private final Path dir;
    private final KafkaConfig config;
    private final int port;
    private KafkaRaftServer server;

    private LoopbackKafka(Path dir, KafkaConfig config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    /** Formats a fresh node and starts it. {@code settings} are more broker settings. */
    public static LoopbackKafka start(Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory("loopback-kafka");
        int port = freePort();
        int controllerPort = freePort();
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        properties.put("log.dirs", dir.resolve("data").toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("auto.create.topics.enable", "false");
        properties.putAll(settings);
        Path file = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, "LoopbackKafka");
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int formatted = StorageTool.execute(new String[] {"format", "--standalone", "--cluster-id",
                Uuid.randomUuid().toString(), "--config", file.toString()},
                new PrintStream(said, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            throw new IllegalStateException("formatting the broker's storage failed: " + said);
        }
        LoopbackKafka kafka = new LoopbackKafka(dir, KafkaConfig.fromProps(properties), port);
        kafka.startAgain();
        return kafka;
    }

    /**
     * Runs a broker in a JVM of its own, for tests whose own JVM holds another kafka-clients than
     * the broker's: {@code LoopbackKafka topic:partitions...} makes the topics, prints
     * {@code bootstrap=127.0.0.1:port} on a line of its own, and stops once its standard input ends.
     */
    public static void main(String[] args) throws Exception {
        try (LoopbackKafka kafka = start(Map.of())) {
            List<NewTopic> topics = new java.util.ArrayList<>();
            for (String topic : args) {
                String[] nameAndPartitions = topic.split(":", 2);
                topics.add(new NewTopic(nameAndPartitions[0], Integer.parseInt(nameAndPartitions[1]), (short) 1));
            }
            kafka.createTopics(topics.toArray(NewTopic[]::new));
            System.out.println("bootstrap=" + kafka.bootstrapServers());
            System.out.flush();
            while (System.in.read() != -1) {
                // Until the test that started this JVM closes its end, or is gone.
            }
        }
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers} and {@code kafka://} URLs. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Makes topics, waiting until they exist. */
    public void createTopics(NewTopic... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(topics)).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Stops the node, as a broker that goes away: its port no longer answers. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the node (again), on the same ports and data. */
    public synchronized void startAgain() {
        if (server == null) {
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
