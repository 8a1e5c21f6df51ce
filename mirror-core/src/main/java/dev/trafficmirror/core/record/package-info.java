/**
 * Recording: exchanges written to a file or a Kafka topic by recording targets (a target whose URL
 * is {@code file:...} or {@code kafka://...}), to be replayed later against any version and
 * compared with what the primary answered. {@link dev.trafficmirror.core.record.RecordFormat} is the
 * format (a HAR 1.2 entry per line), {@link dev.trafficmirror.core.record.RecordedExchange} one
 * record; {@link dev.trafficmirror.core.record.Recorder} and
 * {@link dev.trafficmirror.core.record.RecorderProvider} are the SPI through which modules such as
 * mirror-kafka add a destination.
 *
 * <p>In the flow (filter, snapshot, decide, lane, <b>send</b>, result) a recorder takes the place
 * of the HTTP sender, on a writer thread of its target's own.
 */
package dev.trafficmirror.core.record;
