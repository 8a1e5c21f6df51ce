package dev.trafficmirror.examples;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's command-line flags: {@code --duration 30s} (also {@code 500ms}, {@code 5m}; at most
 * 60 minutes), {@code --qps 5} (1 to 10000), {@code --report target/reviews-demo-report.html},
 * {@code --record FILE} (v1's exchanges also recorded to a file) and {@code --replay FILE} (no load:
 * a recording replayed against reviews-v2 with mirror-replay). A flag given twice takes its last value.
 *
 * @param record where v1's mirror records its exchanges ({@code file:} target), or {@code null}
 * @param replay the recording to replay against v2 instead of running the load, or {@code null}
 */
record DemoOptions(Duration duration, int qps, Path report, Path record, Path replay) {

    static final String USAGE = "flags: --duration 30s (ms, s or m, up to 60m), --qps 5 (1-10000), "
            + "--report target/reviews-demo-report.html, --record FILE, --replay FILE";

    private static final Duration MAX_DURATION = Duration.ofMinutes(60);

    static DemoOptions defaults() {
        return new DemoOptions(Duration.ofSeconds(30), 5, Path.of("target", "reviews-demo-report.html"), null, null);
    }

    /**
     * @throws IllegalArgumentException naming the flag and what it accepts
     */
    static DemoOptions parse(String... args) {
        DemoOptions options = defaults();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            options = switch (flag) {
                case "--duration" -> new DemoOptions(parseDuration(value), options.qps, options.report, options.record,
                        options.replay);
                case "--qps" -> new DemoOptions(options.duration, parseQps(value), options.report, options.record,
                        options.replay);
                case "--report" -> new DemoOptions(options.duration, options.qps, parseReport(value), options.record,
                        options.replay);
                case "--record" -> new DemoOptions(options.duration, options.qps, options.report,
                        parseFile(value, flag), options.replay);
                case "--replay" -> new DemoOptions(options.duration, options.qps, options.report, options.record,
                        parseFile(value, flag));
                default -> throw new IllegalArgumentException("unknown flag '" + flag + "'; " + USAGE);
            };
            i++;
        }
        if (options.record != null && options.replay != null) {
            throw new IllegalArgumentException("--record and --replay do not go together: record first, then replay");
        }
        return options;
    }

    /** How many requests the load generator sends: one every 1/qps seconds for the duration, at least one. */
    long requests() {
        return Math.max(1, duration.toNanos() * qps / 1_000_000_000L);
    }

    /** A duration the way the flag takes it: {@code 500ms}, {@code 30s}, {@code 5m}. */
    static String format(Duration duration) {
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    static Duration parseDuration(String value) {
        if (value == null || !value.matches("[1-9]\\d{0,6}(ms|s|m)")) {
            throw new IllegalArgumentException("--duration takes a whole number with ms, s or m, e.g. 30s or 5m; was "
                    + value);
        }
        long amount = Long.parseLong(value.replaceAll("\\D", ""));
        Duration duration = value.endsWith("ms") ? Duration.ofMillis(amount)
                : value.endsWith("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--duration takes at most 60m; was " + value);
        }
        return duration;
    }

    static int parseQps(String value) {
        if (value != null && value.matches("\\d{1,5}")) {
            int qps = Integer.parseInt(value);
            if (qps >= 1 && qps <= 10_000) {
                return qps;
            }
        }
        throw new IllegalArgumentException("--qps takes a whole number from 1 to 10000; was " + value);
    }

    static Path parseFile(String value, String flag) {
        if (value == null || value.isBlank() || value.startsWith("--")) {
            throw new IllegalArgumentException(flag + " takes the path of a recording, e.g. target/reviews.jsonl; was "
                    + value);
        }
        return Path.of(value);
    }

    static Path parseReport(String value) {
        if (value == null || value.isBlank() || value.startsWith("--")) {
            throw new IllegalArgumentException("--report takes the path of the HTML file to write; was " + value);
        }
        return Path.of(value);
    }
}
