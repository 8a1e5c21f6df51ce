package dev.trafficmirror.kafka.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.kafka.KafkaRecordReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * mirror-kafka with the kafka-clients that Spring Boot 3.5's BOM gives its users, 3.9: recording,
 * reading back (alone and in a group) and a broker that goes away. The broker is Kafka 4.2 in a JVM
 * of its own (mirror-kafka's {@code LoopbackKafka}, on 127.0.0.1 only), since one JVM cannot hold
 * two versions of Kafka's classes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClients39Test {

    private static Process broker;
    private static String bootstrap;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Mirror> mirrors = new ArrayList<>();
    private final AtomicInteger probes = new AtomicInteger();

    @BeforeAll
    static void startBroker() throws Exception {
        String classpath = System.getProperty("broker.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("broker.classpath"))).trim();
        // Its data under target/, where a broker stopped by force leaves it.
        Path data = Files.createDirectories(Path.of("target", "broker"));
        broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + data.toAbsolutePath(), "-cp", classpath, "dev.trafficmirror.kafka.LoopbackKafka", "compat:2", "outage:1")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("bootstrap=")) {
            // the broker's own output before it is ready
        }
        assertThat(line).as("the broker's JVM said where it listens").isNotNull();
        bootstrap = line.substring("bootstrap=".length());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null && broker.isAlive()) {
            broker.getOutputStream().close();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @AfterEach
    void closeMirrors() {
        mirrors.forEach(mirror -> mirror.close(Duration.ofSeconds(5)));
    }

    @Test
    @Order(1)
    void shouldRunWithKafkaClients39() {
        assertThat(AppInfoParser.getVersion()).isEqualTo(System.getProperty("kafka-clients.expected"));
    }

    @Test
    @Order(2)
    void shouldRecordAndReadBackAloneAndInAGroup() throws Exception {
        String url = "kafka://" + bootstrap + "/compat";
        Mirror mirror = mirror(url);
        probeUntilWritten(mirror);
        long before = count(mirror, Reason.NONE);
        for (int i = 0; i < 20; i++) {
            mirror.integration().submit(MirrorRequest.builder("GET", "/compat/" + i).header("X-Request-Id", "c-" + i)
                    .build(), PrimaryResponse.builder(200).body(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(mirror, Reason.NONE) == before + 20);

        List<String> alone = read(KafkaRecordReader.builder(url).open());
        assertThat(alone).hasSize((int) before + 20).contains("/compat/0", "/compat/19");
        List<String> group = read(KafkaRecordReader.builder(url).group("compat").open());
        assertThat(group).containsExactlyInAnyOrderElementsOf(alone);
        assertThat(read(KafkaRecordReader.builder(url).group("compat").open())).as("the group has read them").isEmpty();
    }

    /** Last: it stops the broker. */
    @Test
    @Order(3)
    void shouldDropAndCountRecordsOnceTheBrokerIsGoneNeverWaiting() throws Exception {
        Mirror mirror = mirror("kafka://" + bootstrap + "/outage", Map.of("delivery.timeout.ms", "5000",
                "request.timeout.ms", "3000", "linger.ms", "0", "reconnect.backoff.max.ms", "200"));
        probeUntilWritten(mirror);
        broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long unavailable = count(mirror, Reason.BROKER_UNAVAILABLE);

        for (int i = 0; i < 5; i++) {
            mirror.integration().submit(MirrorRequest.builder("GET", "/gone/" + i).build(), PrimaryResponse.builder(200).build());
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> count(mirror, Reason.BROKER_UNAVAILABLE) == unavailable + 5);
        assertThat(count(mirror, Reason.QUEUE_FULL)).as("the writer never waited").isZero();
    }

    private static List<String> read(KafkaRecordReader reader) throws Exception {
        List<String> paths = new ArrayList<>();
        try (reader) {
            KafkaRecordReader.Message message;
            while ((message = reader.next()) != null) {
                paths.add(RecordFormat.decode(message.value()).request().path());
                reader.done(message);
            }
        }
        return paths;
    }

    private Mirror mirror(String url) {
        return mirror(url, Map.of());
    }

    private Mirror mirror(String url, Map<String, String> producer) {
        Mirror mirror = Mirror.builder().target(MirrorTarget.of(url).recorderProperties(producer))
                .meterRegistry(registry).name("compat" + mirrors.size()).build();
        mirrors.add(mirror);
        return mirror;
    }

    /** A request every 100 ms until one is written: the producer drops records until it knows the partitions. */
    private void probeUntilWritten(Mirror mirror) {
        long written = count(mirror, Reason.NONE);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            mirror.integration().submit(MirrorRequest.builder("GET", "/probe/" + probes.incrementAndGet()).build(),
                    PrimaryResponse.builder(200).build());
            return count(mirror, Reason.NONE) > written;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> mirror.stats().get(0).requests() == probes.get());
    }

    private static long count(Mirror mirror, Reason reason) {
        return mirror.stats().get(0).count(reason);
    }
}
