package dev.trafficmirror.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a kafka:// target accepts, checked when it is made: no broker needed. */
class KafkaTargetSettingsTest {

    @Test
    void shouldReadBrokersAndTopicFromTheUrl() {
        assertThat(KafkaUrl.parse(URI.create("kafka://broker:9093/traffic")))
                .isEqualTo(new KafkaUrl(List.of("broker:9093"), "traffic"));
        assertThat(KafkaUrl.parse(URI.create("kafka://B1,b2:9094/app.traffic-v1")))
                .isEqualTo(new KafkaUrl(List.of("b1:9092", "b2:9094"), "app.traffic-v1"));
        assertThat(KafkaUrl.parse(URI.create("kafka://[::1]:9095/t"))).isEqualTo(new KafkaUrl(List.of("[::1]:9095"), "t"));

        MirrorTarget target = MirrorTarget.of("kafka://broker:9092/traffic");
        assertThat(target.records()).isTrue();
        assertThat(target.name()).as("named after the topic").isEqualTo("traffic");
    }

    @Test
    void shouldRefuseAUrlThatNamesNoTopicOrBroker() {
        assertThatThrownBy(() -> MirrorTarget.of("kafka://broker:9092/"))
                .hasMessageStartingWith("target url 'kafka://broker:9092/' names no topic; a Kafka target looks like"
                        + " kafka://broker:9092/topic");
        assertThatThrownBy(() -> MirrorTarget.of("kafka://broker:9092/a/b")).hasMessageContaining("names topic 'a/b'");
        assertThatThrownBy(() -> MirrorTarget.of("kafka://broker:99999/t")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> MirrorTarget.of("kafka://,b:9092/t")).hasMessageContaining("names no broker");
        assertThatThrownBy(() -> MirrorTarget.of("kafka://broker:9092/t?acks=1")).hasMessageContaining("has a query");
    }

    @Test
    void shouldTakeProducerSettingsButNoneThatWouldWaitOrChangeTheRecord() {
        MirrorTarget target = MirrorTarget.of("kafka://broker:9092/traffic");

        assertThat(target.recorderProperties(Map.of("compression.type", "lz4", "max.block.ms", "0")).recorderProperties())
                .containsEntry("compression.type", "lz4");
        assertThatThrownBy(() -> target.recorderProperties(Map.of("max.block.ms", "60000")))
                .hasMessageContaining("Kafka producer setting 'max.block.ms' must be 0 (was 60000): the producer never"
                        + " makes the mirror wait");
        assertThatThrownBy(() -> target.recorderProperties(Map.of("transactional.id", "t")))
                .hasMessageContaining("'transactional.id' cannot be set");
        assertThatThrownBy(() -> target.recorderProperties(Map.of("bootstrap.servers", "other:9092")))
                .hasMessageContaining("the brokers are the URL's");
        assertThatThrownBy(() -> target.recorderProperties(Map.of("compresion.type", "lz4")))
                .hasMessageContaining("Kafka producer setting 'compresion.type' is unknown");
        assertThatThrownBy(() -> target.recorderProperties(Map.of("buffer.memory", "lots")))
                .hasMessageContaining("a Kafka producer setting is refused").hasMessageContaining("buffer.memory");
    }

    @Test
    void shouldCountEachFailureOfTheProducerWithItsReason() {
        assertThat(KafkaRecorder.reason(new BufferExhaustedException("full"))).isEqualTo(Reason.BUFFER_FULL);
        assertThat(KafkaRecorder.reason(new TimeoutException("Topic t not present in metadata after 0 ms.")))
                .isEqualTo(Reason.BROKER_UNAVAILABLE);
        assertThat(KafkaRecorder.reason(new NetworkException("gone"))).isEqualTo(Reason.BROKER_UNAVAILABLE);
        assertThat(KafkaRecorder.reason(new RecordTooLargeException("big"))).isEqualTo(Reason.ERROR);
    }
}
