package dev.trafficmirror.examples;

import java.util.List;
import java.util.SortedMap;

/**
 * What one service's access log says about the run: its answers by status code, how long it took
 * to answer (server time) and its errors grouped by status and message.
 */
record ServiceSummary(String name, SortedMap<Integer, Long> statuses, LatencyStats latency, List<ErrorGroup> errors) {

    /** Answers with the same status and error message, with the first few requests that got one. */
    record ErrorGroup(int status, String message, long count, List<String> examples) {
    }

    long requests() {
        return statuses.values().stream().mapToLong(Long::longValue).sum();
    }

    long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }

    /** Answers with a 5xx status. */
    long serverErrors() {
        return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue()).sum();
    }
}
