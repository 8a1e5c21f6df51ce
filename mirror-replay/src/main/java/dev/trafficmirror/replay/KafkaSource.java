package dev.trafficmirror.replay;

import dev.trafficmirror.kafka.KafkaRecordReader;
import java.io.IOException;

/**
 * Reads the topic a {@code kafka://} target produced to, through mirror-kafka's
 * {@link KafkaRecordReader}: alone from the first message of every partition, or in the
 * {@code --group} consumer group, sharing the partitions with the group's other replayers; up to the
 * end the topic had at the start, or, with {@code --follow}, until interrupted. A message that is
 * no record is named by its partition and offset.
 *
 * <p>Only this class refers to Kafka, so that a build running the replay in process without
 * mirror-kafka (the demo's) loads none of it unless {@code --from kafka://} is given.
 */
final class KafkaSource implements RecordSource {

    private final KafkaRecordReader reader;
    /** The last line handed out, and its message: the replayer is done with one line before it asks for the next. */
    private Line handedOut;
    private KafkaRecordReader.Message message;

    private KafkaSource(KafkaRecordReader reader) {
        this.reader = reader;
    }

    /**
     * @throws IllegalArgumentException for a URL or a consumer setting that is wrong
     * @throws IOException when no broker answers, or the topic does not exist
     */
    static RecordSource open(ReplayOptions options) throws IOException {
        // A dry run reads without moving the group on.
        return new KafkaSource(KafkaRecordReader.builder(options.kafkaUrl()).group(options.group())
                .follow(options.follow()).commit(!options.dryRun()).properties(options.kafkaProperties()).open());
    }

    @Override
    public Line next() throws IOException {
        message = reader.next();
        handedOut = message == null ? null
                : Line.decode(message.position(), message.value(), "empty message (no value)");
        return handedOut;
    }

    @Override
    public void done(Line line) {
        if (line == handedOut) {
            reader.done(message);
        }
    }

    @Override
    public long size() {
        return reader.size();
    }

    @Override
    public void wakeup() {
        reader.wakeup();
    }

    @Override
    public void close() {
        reader.close();
    }
}
