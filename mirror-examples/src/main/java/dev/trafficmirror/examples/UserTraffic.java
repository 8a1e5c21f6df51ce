package dev.trafficmirror.examples;

import java.util.SortedMap;

/**
 * The load generator's side of the run: what the users asked reviews-v1 and what they got back.
 *
 * @param sent requests sent
 * @param statuses answers by status code
 * @param failures requests that got no answer, by exception type
 * @param roundTrip the round trip as the users saw it
 */
record UserTraffic(long sent, SortedMap<Integer, Long> statuses, SortedMap<String, Long> failures,
        LatencyStats roundTrip) {

    long answered() {
        return statuses.values().stream().mapToLong(Long::longValue).sum();
    }

    long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }
}
