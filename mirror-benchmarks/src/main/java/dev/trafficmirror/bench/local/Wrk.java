package dev.trafficmirror.bench.local;

/** What {@code wrk --latency} printed, parsed: throughput, latencies, requests and errors. */
public record Wrk(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long errors) {

    public static Wrk parse(String output) {
        double rps = Double.NaN;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        long requests = 0;
        long errors = 0;
        for (String raw : output.lines().toList()) {
            String line = raw.trim();
            String[] fields = line.split("[\\s,]+");
            if (line.startsWith("Requests/sec:")) {
                rps = Double.parseDouble(fields[1]);
            } else if (line.startsWith("50%")) {
                p50 = millis(fields[1]);
            } else if (line.startsWith("99%") && !line.startsWith("99.")) {
                p99 = millis(fields[1]);
            } else if (line.contains(" requests in ")) {
                requests = Long.parseLong(fields[0]);
            } else if (line.startsWith("Socket errors:")) {
                // Socket errors: connect 0, read 0, write 0, timeout 16
                for (int i = 2; i + 1 < fields.length; i += 2) {
                    errors += Long.parseLong(fields[i + 1]);
                }
            } else if (line.startsWith("Non-2xx or 3xx responses:")) {
                errors += Long.parseLong(fields[fields.length - 1]);
            }
        }
        if (Double.isNaN(rps)) {
            throw new IllegalStateException("no Requests/sec in wrk's output:\n" + output);
        }
        return new Wrk(rps, p50, p99, requests, errors);
    }

    static double millis(String value) {
        if (value.endsWith("us")) {
            return Double.parseDouble(value.substring(0, value.length() - 2)) / 1000;
        }
        if (value.endsWith("ms")) {
            return Double.parseDouble(value.substring(0, value.length() - 2));
        }
        if (value.endsWith("m")) {
            return Double.parseDouble(value.substring(0, value.length() - 1)) * 60_000;
        }
        if (value.endsWith("s")) {
            return Double.parseDouble(value.substring(0, value.length() - 1)) * 1000;
        }
        throw new IllegalArgumentException("not a wrk latency: " + value);
    }

    public static long seconds(String duration) {
        long number = Long.parseLong(duration.replaceAll("[smh]$", ""));
        return duration.endsWith("h") ? number * 3600 : duration.endsWith("m") ? number * 60 : number;
    }
}
