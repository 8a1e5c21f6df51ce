package dev.trafficmirror.kafka;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code kafka://} target's URL: the brokers to bootstrap from and the topic,
 * {@code kafka://broker-1:9092,broker-2:9092/traffic}. A broker without a port is on 9092.
 */
record KafkaUrl(List<String> bootstrapServers, String topic) {

    static final int DEFAULT_PORT = 9092;

    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST = Pattern.compile("[a-zA-Z0-9._-]+|\\[[0-9a-fA-F:.]+]");
    private static final String SHAPE = "; a Kafka target looks like kafka://broker:9092/topic, or"
            + " kafka://broker-1:9092,broker-2:9092/topic";

    /**
     * Reads a target URL.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static KafkaUrl parse(URI url) {
        String raw = url.toString();
        String prefix = "kafka://";
        if (!raw.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw refused(raw, "does not start with kafka://");
        }
        String rest = raw.substring(prefix.length());
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0 || rest.indexOf('@') >= 0) {
            throw refused(raw, "has a query, a fragment or user info, which a Kafka target does not take (producer"
                    + " settings go in its recorder properties)");
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw refused(raw, "names no topic");
        }
        String topic = rest.substring(slash + 1);
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw refused(raw, "names topic '" + topic + "', which is not a Kafka topic name (letters, digits, '.', '_'"
                    + " and '-', at most 249)");
        }
        List<String> servers = new ArrayList<>();
        for (String server : rest.substring(0, slash).split(",", -1)) {
            servers.add(server(raw, server));
        }
        return new KafkaUrl(List.copyOf(servers), topic);
    }

    /** The servers as Kafka's {@code bootstrap.servers} takes them. */
    String bootstrap() {
        return String.join(",", bootstrapServers);
    }

    private static String server(String raw, String server) {
        String host = server;
        int port = DEFAULT_PORT;
        int colon = server.lastIndexOf(':');
        if (colon >= 0 && colon > server.lastIndexOf(']')) {
            host = server.substring(0, colon);
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw refused(raw, "has broker '" + server + "', whose port is not a number from 1 to 65535");
            }
        }
        if (!HOST.matcher(host).matches()) {
            throw refused(raw, server.isEmpty() ? "names no broker" : "has broker '" + server + "', which is no host name"
                    + " or IP address");
        }
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static IllegalArgumentException refused(String raw, String why) {
        return new IllegalArgumentException("target url '" + raw + "' " + why + SHAPE);
    }
}
