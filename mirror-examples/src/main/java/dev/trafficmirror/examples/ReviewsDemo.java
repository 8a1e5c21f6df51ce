package dev.trafficmirror.examples;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo: users keep talking to reviews-v1; reviews-v2 is deployed but not released and gets a
 * mirrored copy of every request. Runs a steady load, prints both services' logs side by side tied
 * by the mirror id, then a summary of how v2 behaved. Exits by itself.
 *
 * <p>Flags: {@code --duration 30s} (also {@code 500ms}, {@code 5m}), {@code --qps 5}.
 */
public final class ReviewsDemo {

    private ReviewsDemo() {
    }

    public static void main(String[] args) throws Exception {
        DemoOptions options = DemoOptions.parse(args);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ReviewsService v2 = ReviewsService.start("v2", null, line -> System.out.println("            | v2  " + line))) {
            Mirror mirror = Mirror.builder()
                    .target(MirrorTarget.of("reviews-v2", v2.url()))
                    .percentage(100)
                    .meterRegistry(registry)
                    .build();
            try (ReviewsService v1 = ReviewsService.start("v1", new MirrorFilter(mirror),
                    line -> System.out.println("v1  " + line))) {
                System.out.printf("reviews-v1 (released) at %s, mirroring to reviews-v2 (deployed, not released) at %s%n",
                        v1.url(), v2.url());
                System.out.printf("Load: %d requests/s for %s%n%n", options.qps(), options.duration());
                Map<Integer, Long> clientStatuses = runLoad(v1.url(), options);
                mirror.close(Duration.ofSeconds(5));
                printSummary(clientStatuses, v1, v2, registry);
            } finally {
                mirror.close(Duration.ZERO);
            }
        }
    }

    private static Map<Integer, Long> runLoad(String v1, DemoOptions options) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Random products = new Random(42);
        Map<Integer, Long> statuses = new TreeMap<>();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / options.qps();
        long total = Math.max(1, options.duration().toNanos() / intervalNanos);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int product = 1 + products.nextInt(14);
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(v1 + "/reviews/" + product))
                    .header("X-Request-Id", "req-" + (i + 1)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            statuses.merge(response.statusCode(), 1L, Long::sum);
        }
        return statuses;
    }

    private static void printSummary(Map<Integer, Long> clientStatuses, ReviewsService v1, ReviewsService v2,
            SimpleMeterRegistry registry) {
        System.out.println();
        System.out.println("==================== summary ====================");
        System.out.printf("Users -> reviews-v1: %d requests, status codes %s%n",
                clientStatuses.values().stream().mapToLong(Long::longValue).sum(), clientStatuses);
        for (Outcome outcome : Outcome.values()) {
            double count = registry.find("mirror.requests").tag("outcome", outcome.tag()).counters().stream()
                    .mapToDouble(Counter::count).sum();
            System.out.printf("Mirrored to reviews-v2, %-9s: %.0f%n", outcome.tag(), count);
        }
        System.out.printf("reviews-v2 answered status codes: %s%n", v2.statuses());
        long errors = v2.statuses().entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().get()).sum();
        System.out.printf("reviews-v2 errors: %d of %d (%.1f%%) - v1 had none: do not release v2 yet%n",
                errors, v2.requests(), v2.requests() == 0 ? 0.0 : 100.0 * errors / v2.requests());
        System.out.printf("Server time per request: v1 %.0f us, v2 %.0f us%n",
                v1.requests() == 0 ? 0.0 : (double) v1.totalMicros() / v1.requests(),
                v2.requests() == 0 ? 0.0 : (double) v2.totalMicros() / v2.requests());
        double shadowMillis = registry.find("mirror.shadow.duration").timers().stream()
                .mapToDouble(t -> t.mean(TimeUnit.MILLISECONDS) * t.count()).sum();
        long answered = registry.find("mirror.shadow.duration").timers().stream().mapToLong(Timer::count).sum();
        System.out.printf("Mirror round trip to v2 (off the request path): mean %.2f ms over %d copies%n",
                answered == 0 ? 0.0 : shadowMillis / answered, answered);
    }

    /** Command-line flags. */
    record DemoOptions(Duration duration, int qps) {
        static DemoOptions parse(String[] args) {
            Duration duration = Duration.ofSeconds(30);
            int qps = 5;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--duration" -> {
                        duration = parseDuration(value);
                        i++;
                    }
                    case "--qps" -> {
                        qps = parsePositive(value, "--qps");
                        i++;
                    }
                    default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; use --duration 30s --qps 5");
                }
            }
            return new DemoOptions(duration, qps);
        }

        static Duration parseDuration(String value) {
            if (value == null || !value.matches("\\d+(ms|s|m)")) {
                throw new IllegalArgumentException("--duration takes a number with ms, s or m, e.g. 30s; was " + value);
            }
            long amount = Long.parseLong(value.replaceAll("\\D", ""));
            return value.endsWith("ms") ? Duration.ofMillis(amount)
                    : value.endsWith("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
        }

        static int parsePositive(String value, String flag) {
            try {
                int parsed = Integer.parseInt(String.valueOf(value));
                if (parsed > 0 && parsed <= 10_000) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(flag + " takes a whole number from 1 to 10000; was " + value);
        }
    }
}
