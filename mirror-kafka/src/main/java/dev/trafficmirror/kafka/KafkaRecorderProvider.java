package dev.trafficmirror.kafka;

import dev.trafficmirror.core.record.Recorder;
import dev.trafficmirror.core.record.RecorderProvider;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records to Kafka: the {@code kafka} scheme of recording targets, {@code kafka://broker:9092/topic}.
 * Found by {@link java.util.ServiceLoader} when mirror-kafka is on the class path.
 *
 * <p>A target's recorder properties ({@code MirrorTarget.recorderProperties}) are the Kafka
 * producer's, e.g. {@code compression.type}, {@code acks}, {@code buffer.memory},
 * {@code delivery.timeout.ms}, {@code security.protocol}, {@code sasl.jaas.config}: checked when the
 * target is made, so that a misspelt name or a bad value fails start-up. What would make the
 * producer wait, or change what a record is, cannot be set: {@code max.block.ms} is always 0, the
 * brokers come from the URL, the serializers are trafficmirror's, and a transactional producer
 * (whose {@code initTransactions} waits for the broker) is refused.
 */
public final class KafkaRecorderProvider implements RecorderProvider {

    /** What the recorder sets itself, and why a target cannot. */
    private static final Map<String, String> FIXED = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "the brokers are the URL's: kafka://broker-1:9092,broker-2:9092/topic",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "a record's key is its X-Mirror-Id",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "a record's value is its line of trafficmirror-har/1",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "a transactional producer waits for the broker to start");

    private static final Set<String> KNOWN = ProducerConfig.configNames();

    /** Public, for {@link java.util.ServiceLoader}. */
    public KafkaRecorderProvider() {
    }

    @Override
    public String scheme() {
        return "kafka";
    }

    @Override
    public void check(URI url, Map<String, String> properties) {
        producerConfig(url, KafkaUrl.parse(url), properties, "check");
    }

    @Override
    public Recorder open(String target, URI url, Map<String, String> properties) {
        KafkaUrl kafka = KafkaUrl.parse(url);
        Map<String, Object> config = producerConfig(url, kafka, properties, target);
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("target url '" + url + "': the Kafka producer cannot be made: "
                    + e.getMessage(), e);
        }
        return new KafkaRecorder(target, kafka.topic(), producer);
    }

    @Override
    public String describe(URI url) {
        KafkaUrl kafka = KafkaUrl.parse(url);
        return "Kafka topic " + kafka.topic() + " at " + kafka.bootstrap();
    }

    /**
     * The producer's settings: the target's properties over trafficmirror's defaults, and what is
     * fixed, each checked by Kafka's own definitions of the settings.
     */
    static Map<String, Object> producerConfig(URI url, KafkaUrl kafka, Map<String, String> properties, String target) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "trafficmirror-" + target);
        properties.forEach((name, value) -> {
            String fixed = FIXED.get(name);
            if (fixed != null) {
                throw refused(url, name, "cannot be set: " + fixed);
            }
            if (name.equals(ProducerConfig.MAX_BLOCK_MS_CONFIG) && !"0".equals(value.trim())) {
                throw refused(url, name, "must be 0 (was " + value + "): the producer never makes the mirror wait;"
                        + " a record it cannot take at once is dropped and counted (buffer_full, broker_unavailable)");
            }
            if (!KNOWN.contains(name)) {
                throw refused(url, name, "is unknown: not one of ProducerConfig's settings, e.g. compression.type,"
                        + " acks, buffer.memory, delivery.timeout.ms, security.protocol");
            }
            config.put(name, value);
        });
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0L);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try {
            ProducerConfig.configDef().parse(config);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("target url '" + url + "': a Kafka producer setting is refused: "
                    + e.getMessage(), e);
        }
        return config;
    }

    private static IllegalArgumentException refused(URI url, String name, String why) {
        return new IllegalArgumentException("target url '" + url + "': Kafka producer setting '" + name + "' " + why);
    }
}
