package dev.trafficmirror.bench.bakeoff;

import java.nio.file.Path;

/**
 * One candidate send path: takes a copy on the request thread after the primary answered, sends it
 * to the shadow without ever blocking or throwing there, and counts what became of it.
 */
interface CopySender extends AutoCloseable {

    /** The most copies outstanding (in flight or waiting) before one is dropped: 16 in flight + 1000 queued. */
    int MAX_IN_FLIGHT = 16;
    int MAX_QUEUED = 1000;
    /** How much of a shadow's answer is kept, as for a comparing target; the rest is read and discarded. */
    int CAPTURE_LIMIT = 64 << 10;

    /** Sends {@code copy} in the background. Never blocks, never throws. */
    void send(Copy copy);

    /** What became of the copies so far. */
    Counts counts();

    /** Stops the client, giving in-flight copies a moment. */
    @Override
    void close();

    /**
     * What became of the copies handed to a sender; {@code failure} counts the failures by type and
     * describes the first one, or is empty.
     */
    record Counts(long completed, long failed, long dropped, long outstanding, String failure) {

        /** {@code TypeA=3 TypeB=1; first: ...}, or empty when nothing failed. */
        static String failures(java.util.Map<String, Long> byType, String first) {
            if (byType.isEmpty()) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            byType.forEach((type, count) -> text.append(type).append('=').append(count).append(' '));
            return text.append("; first: ").append(first).toString();
        }
    }

    /**
     * The sender of {@code client} for the shadow at {@code base} ({@code http://} or {@code https://}
     * host and port); an https shadow's certificate must chain to the CA in {@code caPem}.
     */
    static CopySender of(String client, String base, Path caPem) throws Exception {
        return switch (client) {
            case "trafficmirror" -> new TrafficmirrorSender(base, caPem);
            case "jetty" -> new JettySender(base, caPem);
            case "apache" -> new ApacheSender(base, caPem);
            case "okhttp" -> new OkHttpSender(base, caPem);
            case "jdk", "jdk-cp2" -> new JdkSender(base, caPem);
            default -> throw new IllegalArgumentException("unknown client " + client
                    + "; known: trafficmirror, jetty, apache, okhttp, jdk, jdk-cp2");
        };
    }
}
