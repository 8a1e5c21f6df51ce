/**
 * Recording targets on Kafka: {@code kafka://broker:9092/topic} produces each exchange to the topic
 * ({@link dev.trafficmirror.kafka.KafkaRecorderProvider}), and
 * {@link dev.trafficmirror.kafka.KafkaRecordReader} reads the topic back, as the replay tool does.
 * Add mirror-kafka beside mirror-core; see docs/recording.md.
 */
package dev.trafficmirror.kafka;
