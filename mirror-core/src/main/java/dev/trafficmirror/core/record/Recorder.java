package dev.trafficmirror.core.record;

import dev.trafficmirror.core.Reason;
import java.time.Duration;

/**
 * Where a recording target's records go: a file, a Kafka topic. A {@link RecorderProvider} opens
 * one per target when the mirror is built; the mirror calls it from the target's own writer thread,
 * never from a request thread nor from the mirror's I/O thread, one record at a time, in order.
 *
 * <p>A recorder must never make that thread wait for a remote peer (a broker, a network file
 * system's server): it writes to a local file, or hands the record to a client that buffers it
 * within a bound and drops it when the bound is reached (Kafka's producer with
 * {@code max.block.ms=0}). Whatever becomes of a record, it tells {@link Written} exactly once.
 */
public interface Recorder {

    /** How a record ended: told exactly once per record, from any thread, now or later. */
    interface Written {
        /** The record was written (to the file system, or acknowledged by the broker). */
        void written();

        /**
         * The record was not written.
         *
         * @param reason why, e.g. {@link Reason#DISK_FULL}, {@link Reason#BUFFER_FULL},
         *     {@link Reason#BROKER_UNAVAILABLE}, or a failure ({@link Reason#IO}, {@link Reason#ERROR});
         *     never {@link Reason#NONE}
         * @param cause what happened, for the target's failure log; may be {@code null}
         */
        void notWritten(Reason reason, Throwable cause);
    }

    /**
     * Writes one record.
     *
     * @param record the exchange, redacted
     * @param line the record as {@link RecordFormat} writes it: one line of UTF-8, without its line feed
     * @param written to be told how the record ended; the recorder must not throw instead
     */
    void write(RecordedExchange record, byte[] line, Written written);

    /**
     * No more records are waiting for now: write out what is buffered. Called on the writer thread
     * after a record when the target's queue is empty. Default: nothing to do.
     */
    default void flush() {
    }

    /**
     * Writes out what is buffered, waiting up to {@code timeout}, then releases everything; records
     * still pending are told {@link Written#notWritten}. Called once, when the mirror closes.
     */
    void close(Duration timeout);
}
