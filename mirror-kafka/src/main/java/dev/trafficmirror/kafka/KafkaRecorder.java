package dev.trafficmirror.kafka;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordedExchange;
import dev.trafficmirror.core.record.Recorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each record to one topic: keyed by its {@code X-Mirror-Id} (so that records spread
 * over the topic's partitions, and the replayers of one consumer group share them), its value the
 * record's line, its timestamp when the primary received the request, and a header
 * {@value #FORMAT_HEADER} naming the format.
 *
 * <p>The producer has {@code max.block.ms=0}: {@code send} only appends to its bounded buffer
 * ({@code buffer.memory}) and returns; the producer's own I/O thread sends. A record it cannot take
 * at once (a full buffer, a topic whose partitions it does not know yet because no broker answered)
 * or that expires in the buffer ({@code delivery.timeout.ms}) is dropped, and told with its reason.
 */
final class KafkaRecorder implements Recorder {

    /** The record header that names the record's format, {@link RecordFormat#FORMAT}. */
    static final String FORMAT_HEADER = "trafficmirror-format";

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);
    private static final byte[] FORMAT = RecordFormat.FORMAT.getBytes(StandardCharsets.UTF_8);

    private final String target;
    private final String topic;
    private final Producer<byte[], byte[]> producer;

    KafkaRecorder(String target, String topic, Producer<byte[], byte[]> producer) {
        this.target = target;
        this.topic = topic;
        this.producer = producer;
        try {
            // With max.block.ms=0 this only asks for the topic's partitions, without waiting for them,
            // so that the first records find them known.
            producer.partitionsFor(topic);
        } catch (TimeoutException expected) {
            log.debug("Target '{}': the partitions of topic {} are not known yet", target, topic);
        } catch (RuntimeException e) {
            log.warn("Target '{}': cannot look up topic {} yet", target, topic, e);
        }
    }

    @Override
    public void write(RecordedExchange record, byte[] line, Written written) {
        List<Header> headers = List.of(new RecordHeader(FORMAT_HEADER, FORMAT));
        ProducerRecord<byte[], byte[]> produced = new ProducerRecord<>(topic, null, record.receivedAt().toEpochMilli(),
                record.id().getBytes(StandardCharsets.UTF_8), line, headers);
        try {
            producer.send(produced, (metadata, failure) -> {
                if (failure == null) {
                    written.written();
                } else {
                    written.notWritten(reason(failure), failure);
                }
            });
        } catch (RuntimeException e) {
            // Not an ApiException (those go to the callback): the producer is closed, or broke.
            written.notWritten(reason(e), e);
        }
    }

    /** Why the producer did not deliver a record. */
    static Reason reason(Throwable failure) {
        if (failure instanceof BufferExhaustedException) {
            return Reason.BUFFER_FULL;
        }
        // No metadata within max.block.ms (0), a batch expired, no leader, a broken connection.
        if (failure instanceof TimeoutException || failure instanceof RetriableException) {
            return Reason.BROKER_UNAVAILABLE;
        }
        return Reason.ERROR;
    }

    @Override
    public void close(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            log.warn("Target '{}' could not close its Kafka producer", target, e);
        }
    }

    @Override
    public String toString() {
        return "KafkaRecorder{" + target + " -> " + topic + "}";
    }
}
