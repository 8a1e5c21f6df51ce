package dev.trafficmirror.examples;

/**
 * The run cut into equal intervals (buckets), for the report's charts over time.
 *
 * @param bucketSeconds the length of one interval
 * @param v1 reviews-v1's series
 * @param v2 reviews-v2's series
 */
record Timeline(double bucketSeconds, Series v1, Series v2) {

    /**
     * One service's values per interval; the latency arrays hold {@code NaN} for an interval without
     * a request.
     */
    record Series(long[] requests, long[] serverErrors, double[] p50Millis, double[] p99Millis) {

        /** Requests per second in each interval. */
        double[] requestRate(double bucketSeconds) {
            double[] rate = new double[requests.length];
            for (int i = 0; i < rate.length; i++) {
                rate[i] = requests[i] / bucketSeconds;
            }
            return rate;
        }
    }

    int buckets() {
        return v1.requests().length;
    }
}
