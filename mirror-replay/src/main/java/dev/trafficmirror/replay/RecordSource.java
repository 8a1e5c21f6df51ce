package dev.trafficmirror.replay;

import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordFormatException;
import dev.trafficmirror.core.record.RecordedExchange;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where the replayer reads records from: a recording's file ({@link FileSource}) or the topic a
 * {@code kafka://} target produced to ({@link KafkaSource}). Each item is decoded the same way, and
 * one that is no record is handed back as {@link Line#unreadable()}, named by where it is (its line
 * number, or its partition and offset), so that the rest is replayed.
 */
interface RecordSource extends Closeable {

    /** One line of a file or message of a topic: a record, or why it is none. */
    record Line(String where, RecordedExchange exchange, String problem, boolean unknownVersion) {

        boolean unreadable() {
            return exchange == null;
        }

        /** Decodes {@code bytes}, named by {@code where}; {@code empty} says what no bytes at all are. */
        static Line decode(String where, byte[] bytes, String empty) {
            if (bytes == null || bytes.length == 0) {
                return new Line(where, null, empty, false);
            }
            try {
                return new Line(where, RecordFormat.decode(bytes), null, false);
            } catch (RecordFormatException e) {
                return new Line(where, null, e.getMessage(), e.unknownVersion());
            }
        }
    }

    /** The next line, or {@code null} at the end (or once {@link #wakeup woken}). */
    Line next() throws IOException;

    /** The replayer is finished with {@code line}: sent it, or counted it unreadable. */
    void done(Line line);

    /** How many lines there are to read, for the progress's time left; -1 when unknown. */
    long size() throws IOException;

    /** Makes a {@link #next} that waits for a line return {@code null}; from any thread. */
    void wakeup();

    /**
     * Opens the source {@code --from} names.
     *
     * @throws IllegalArgumentException for a Kafka URL or consumer setting that is wrong
     */
    static RecordSource open(ReplayOptions options) throws IOException {
        if (!options.fromKafka()) {
            return new FileSource(options.files());
        }
        try {
            return KafkaSource.open(options);
        } catch (NoClassDefFoundError e) {
            throw new IOException("reading from Kafka needs dev.trafficmirror:mirror-kafka (and kafka-clients) on the"
                    + " class path; the runnable jar has them", e);
        }
    }
}
