package dev.trafficmirror.examples;

import org.HdrHistogram.AbstractHistogram;

/**
 * Percentiles of a latency distribution, in milliseconds; all zero when nothing was recorded.
 */
record LatencyStats(long count, double p50, double p90, double p99, double max) {

    static final LatencyStats NONE = new LatencyStats(0, 0, 0, 0, 0);

    /** From a histogram of microseconds. */
    static LatencyStats ofMicros(AbstractHistogram micros) {
        if (micros.getTotalCount() == 0) {
            return NONE;
        }
        return new LatencyStats(micros.getTotalCount(), millis(micros.getValueAtPercentile(50)),
                millis(micros.getValueAtPercentile(90)), millis(micros.getValueAtPercentile(99)),
                millis(micros.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
