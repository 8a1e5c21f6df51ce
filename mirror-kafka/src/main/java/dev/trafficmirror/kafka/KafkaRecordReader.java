package dev.trafficmirror.kafka;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what a {@code kafka://} target wrote: the messages of its topic, one at a time, each
 * named by its partition and offset. For the replay tool, and for anyone who reads a recording from
 * Kafka in their own code; decode each value with {@code RecordFormat.decode}.
 *
 * <p>Alone, a reader takes every partition from its first message. In a consumer group
 * ({@link Builder#group}) the readers share the topic's partitions, each starts where the group
 * left off, and a message is committed once its reader is {@linkplain #done done} with it (before a
 * partition moves to another reader, too), so that readers that come and go in one group hand every
 * message over once. Unless {@linkplain Builder#follow following}, a reader stops at the end the
 * topic had when it was opened: {@link #next} returns {@code null} once every partition it reads
 * has reached that end.
 *
 * <p>Not thread-safe, as Kafka's consumer is not; only {@link #wakeup} may be called from another
 * thread.
 */
public final class KafkaRecordReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaRecordReader.class);

    /** How often a reader that is busy with what it holds still polls, to take part in a rebalance. */
    private static final long POLL_EVERY_NANOS = 100_000_000L;
    /** Messages fetched at a time, unless set: few, so that a rebalance never waits for a long batch. */
    private static final int MAX_POLL_RECORDS = 100;

    private static final Map<String, String> FIXED = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "the brokers are the URL's: kafka://broker-1:9092,broker-2:9092/topic",
            ConsumerConfig.GROUP_ID_CONFIG, "the group is the reader's own setting (--group)",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "keys and values are read as the bytes they are",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "keys and values are read as the bytes they are",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "a message is committed once it is done, never before");

    /** One message of the topic. */
    public record Message(int partition, long offset, byte[] value) {

        /** Where the message is, for a reader: {@code partition 2, offset 17}. */
        public String position() {
            return "partition " + partition + ", offset " + offset;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final boolean grouped;
    private final boolean follow;
    private final boolean commit;
    private final Map<TopicPartition, Long> ends;
    private final long size;
    private final Duration stallTimeout;
    private final ArrayDeque<Message> held = new ArrayDeque<>();
    /**
     * The offset after the last message done, per partition of this reader: committed now and then
     * without waiting, and for certain before a partition goes to another reader (an asynchronous
     * commit may be refused during a rebalance) and on close.
     */
    private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    private boolean doneSinceCommit;
    /** Whether the reader has its partitions: false from the start, and during a group's rebalance. */
    private boolean assigned;
    private long lastPoll = System.nanoTime();
    /** Since when the reader waits: the last call of next, or since it got messages or its partitions. */
    private long lastProgress = System.nanoTime();

    private KafkaRecordReader(Builder builder) throws IOException {
        KafkaUrl url = builder.url;
        this.topic = url.topic();
        this.grouped = builder.group != null;
        this.follow = builder.follow;
        this.commit = grouped && builder.commit;
        this.stallTimeout = builder.stallTimeout;
        this.consumer = consumer(builder, url);
        try {
            List<TopicPartition> partitions = partitions(builder.timeout, url);
            this.ends = follow ? Map.of() : consumer.endOffsets(partitions, builder.timeout);
            if (grouped) {
                consumer.subscribe(List.of(topic), new Handover());
                this.size = -1;
            } else {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                this.assigned = true;
                this.size = follow ? -1 : messages(consumer.beginningOffsets(partitions, builder.timeout), ends);
            }
        } catch (KafkaException e) {
            consumer.close();
            // The caller names the URL; this says what went wrong with it.
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * A reader of a {@code kafka://} URL, as a target that recorded to it is written:
     * {@code kafka://broker-1:9092,broker-2:9092/topic}.
     *
     * @throws IllegalArgumentException saying what is wrong with the URL
     */
    public static Builder builder(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is no URL: " + e.getMessage(), e);
        }
        return new Builder(KafkaUrl.parse(uri));
    }

    /** How a {@link KafkaRecordReader} reads. */
    public static final class Builder {
        private final KafkaUrl url;
        private String group;
        private boolean follow;
        private boolean commit = true;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration stallTimeout = Duration.ofSeconds(60);
        private Map<String, String> properties = Map.of();

        private Builder(KafkaUrl url) {
            this.url = url;
        }

        /** Reads in this consumer group: the group's readers share the partitions; {@code null} reads alone. */
        public Builder group(String group) {
            if (group != null && group.isBlank()) {
                throw new IllegalArgumentException("a consumer group's id is not blank");
            }
            this.group = group;
            return this;
        }

        /** Whether the reader goes on as messages arrive, instead of stopping at the topic's end (default false). */
        public Builder follow(boolean follow) {
            this.follow = follow;
            return this;
        }

        /** Whether a group's offsets are committed (default true); false reads without moving the group on. */
        public Builder commit(boolean commit) {
            this.commit = commit;
            return this;
        }

        /** How long a broker may take to answer: the topic's partitions, its offsets (default 10 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be above 0, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How long a reader that is not following waits for a message while it is behind the end
         * (default 60 s): for its partitions while a group's readers rebalance, or for a broker that
         * went away. The time a caller takes between messages does not count.
         */
        public Builder stallTimeout(Duration stallTimeout) {
            if (stallTimeout.isNegative() || stallTimeout.isZero()) {
                throw new IllegalArgumentException("stallTimeout must be above 0, was " + stallTimeout);
            }
            this.stallTimeout = stallTimeout;
            return this;
        }

        /**
         * Kafka consumer settings, such as {@code security.protocol}, {@code sasl.jaas.config},
         * {@code ssl.truststore.location}: each is checked by Kafka's own definitions.
         *
         * @throws IllegalArgumentException for a setting the reader sets itself, or one that is unknown
         */
        public Builder properties(Map<String, String> properties) {
            properties.forEach((name, value) -> {
                String fixed = FIXED.get(name);
                if (fixed != null) {
                    throw new IllegalArgumentException("Kafka consumer setting '" + name + "' cannot be set: " + fixed);
                }
                if (!ConsumerConfig.configNames().contains(name)) {
                    throw new IllegalArgumentException("Kafka consumer setting '" + name + "' is unknown: not one of"
                            + " ConsumerConfig's settings, e.g. security.protocol, sasl.jaas.config, client.id");
                }
            });
            this.properties = Map.copyOf(properties);
            return this;
        }

        /**
         * Connects, and learns the topic's partitions and where they end.
         *
         * @throws IOException when no broker answers within the timeout, or the topic does not exist
         * @throws IllegalArgumentException when a consumer setting has a value Kafka refuses
         */
        public KafkaRecordReader open() throws IOException {
            return new KafkaRecordReader(this);
        }
    }

    /**
     * The next message, or {@code null} once every partition this reader reads has reached the end
     * it had when the reader was opened (never, when following), or after a {@link #wakeup}.
     *
     * @throws IOException when, not following, no message came for the {@linkplain Builder#stallTimeout
     *     stall timeout} while the reader is behind the end (a broker gone, a group that gives it no
     *     partitions), or Kafka refused to go on (not authorized, a fatal error)
     */
    public Message next() throws IOException {
        // Waiting counts from this call: the time a caller takes between messages is no stalled topic.
        lastProgress = System.nanoTime();
        try {
            while (true) {
                if (!held.isEmpty()) {
                    if (grouped && System.nanoTime() - lastPoll > POLL_EVERY_NANOS) {
                        // Busy with what it holds, the reader still takes part in a rebalance.
                        consumer.pause(consumer.assignment());
                        poll(Duration.ZERO);
                        consumer.resume(consumer.assignment());
                        pauseFinished();
                        if (held.isEmpty()) {
                            continue;
                        }
                    }
                    return held.poll();
                }
                commitAsync();
                if (!follow && caughtUp()) {
                    return null;
                }
                if (!follow && System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                    String waited = stallTimeout.toMillis() % 1000 == 0 ? stallTimeout.toSeconds() + " s"
                            : stallTimeout.toMillis() + " ms";
                    throw new IOException(assigned ? "no message for " + waited + ", and " + topic
                            + " is not read to its end: " + behind()
                            : "the group gave this reader no partitions of " + topic + " within " + waited);
                }
                poll(Duration.ofMillis(200));
            }
        } catch (WakeupException e) {
            return null;
        } catch (KafkaException e) {
            throw new IOException("reading " + topic + ": " + e.getMessage(), e);
        }
    }

    /** The caller is finished with {@code message}: in a group, it is committed (soon, and at the latest on close). */
    public void done(Message message) {
        if (commit) {
            done.put(new TopicPartition(topic, message.partition()), new OffsetAndMetadata(message.offset() + 1));
            doneSinceCommit = true;
        }
    }

    /** The messages between the partitions' starts and ends when opened, alone and not following; -1 otherwise. */
    public long size() {
        return size;
    }

    /** Makes a {@link #next} that waits return {@code null} at once; from any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    /**
     * Commits what is done (in a group), leaves the group and closes the connection. A commit the
     * group refuses (the partitions went to another reader meanwhile) is logged: those messages will
     * be read again.
     */
    @Override
    public void close() {
        try {
            try {
                commitSync(done);
            } catch (WakeupException e) {
                commitSync(done);
            }
        } catch (KafkaException e) {
            log.warn("Could not commit the messages read from {}; the group will read them again", topic, e);
        } finally {
            consumer.close();
        }
    }

    private void poll(Duration timeout) {
        lastPoll = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
            if (follow || end == null || record.offset() < end) {
                held.add(new Message(record.partition(), record.offset(), record.value()));
                lastProgress = lastPoll;
            }
        }
        pauseFinished();
    }

    /** A partition at its end stays quiet: what arrived since the reader opened is left to the next reader. */
    private void pauseFinished() {
        if (follow) {
            return;
        }
        Set<TopicPartition> finished = new HashSet<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (position(partition) >= ends.getOrDefault(partition, 0L)) {
                finished.add(partition);
            }
        }
        consumer.pause(finished);
    }

    /** The partitions behind their end, for a message. */
    private String behind() {
        StringBuilder text = new StringBuilder();
        for (TopicPartition partition : consumer.assignment()) {
            long position = position(partition);
            long end = ends.getOrDefault(partition, 0L);
            if (position < end) {
                text.append(text.length() == 0 ? "" : ", ").append("partition ").append(partition.partition())
                        .append(" at ").append(position < 0 ? "its start" : String.valueOf(position)).append(" of ")
                        .append(end);
            }
        }
        return text.toString();
    }

    /** Every partition this reader has reached its end; a group's reader first waits for its share. */
    private boolean caughtUp() {
        if (!assigned) {
            return false;
        }
        for (TopicPartition partition : consumer.assignment()) {
            if (position(partition) < ends.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the reader is in {@code partition}, or -1 while that is not known yet: never waits, so
     * that a broker gone while a position is being looked up keeps no caller waiting (poll looks
     * it up).
     */
    private long position(TopicPartition partition) {
        try {
            return consumer.position(partition, Duration.ZERO);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return -1;
        }
    }

    private void commitAsync() {
        if (doneSinceCommit) {
            consumer.commitAsync(Map.copyOf(done), null);
            doneSinceCommit = false;
        }
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (!offsets.isEmpty()) {
            consumer.commitSync(Map.copyOf(offsets));
            offsets.clear();
        }
    }

    /**
     * Before a partition goes to another reader of the group: what is done is committed, what is
     * held is let go. Should the partition come back to this reader, it is read again from the
     * first message let go, as another reader would, from the committed offset.
     */
    private final class Handover implements ConsumerRebalanceListener {

        private final Map<TopicPartition, Long> letGo = new HashMap<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = done.remove(partition);
                if (offset != null) {
                    revoked.put(partition, offset);
                }
            }
            commitSync(revoked);
            letGo(partitions);
            // Until the group has given this reader its new share, it has not caught up.
            assigned = false;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Already another reader's: nothing can be committed for them any more.
            partitions.forEach(done::remove);
            letGo(partitions);
            assigned = false;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                Long first = letGo.get(partition);
                if (first != null) {
                    consumer.seek(partition, first);
                }
            }
            letGo.clear();
            assigned = true;
            lastProgress = System.nanoTime();
        }

        private void letGo(Collection<TopicPartition> partitions) {
            held.removeIf(message -> {
                TopicPartition partition = new TopicPartition(topic, message.partition());
                if (!partitions.contains(partition)) {
                    return false;
                }
                letGo.merge(partition, message.offset(), Math::min);
                return true;
            });
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(Builder builder, KafkaUrl url) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "trafficmirror-reader");
        config.putAll(builder.properties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrap());
        if (builder.group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, builder.group);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        try {
            return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("a Kafka consumer setting is refused: " + e.getMessage(), e);
        } catch (KafkaException e) {
            throw new IllegalArgumentException("the Kafka consumer cannot be made: " + e.getMessage(), e);
        }
    }

    private List<TopicPartition> partitions(Duration timeout, KafkaUrl url) throws IOException {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, timeout);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IOException("no broker at " + url.bootstrap() + " answered within " + timeout.toSeconds() + " s",
                    e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IOException("there is no topic " + topic + " at " + url.bootstrap());
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static long messages(Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {
        long total = 0;
        for (Map.Entry<TopicPartition, Long> start : starts.entrySet()) {
            total += Math.max(0, ends.getOrDefault(start.getKey(), 0L) - start.getValue());
        }
        return total;
    }
}
