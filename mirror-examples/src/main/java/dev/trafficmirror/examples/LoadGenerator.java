package dev.trafficmirror.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The users: like {@code fortio load -qps 5 -t 5m}, GET {@code /reviews/{1..14}} at a steady
 * pace, each request with its own {@code X-Request-Id} (which becomes the copy's
 * {@code X-Mirror-Id}). One request at a time; a slow answer delays the next ones rather than
 * piling requests up. Bounded in count (qps x duration) and in time (the duration plus as much
 * again, at least 10 s, then it stops early).
 */
final class LoadGenerator {

    static final int PRODUCTS = 14;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final String baseUrl;
    private final DemoOptions options;
    private final DemoRecording recording;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    LoadGenerator(String baseUrl, DemoOptions options, DemoRecording recording) {
        this.baseUrl = baseUrl;
        this.options = options;
        this.recording = recording;
    }

    /** Sends the requests on the calling thread; returns when the last one has its answer. */
    void run() throws InterruptedException {
        Random products = new Random(42);
        long total = options.requests();
        long intervalNanos = options.duration().toNanos() / total;
        long start = System.nanoTime();
        long deadline = start + options.duration().toNanos() + Math.max(options.duration().toNanos(),
                TimeUnit.SECONDS.toNanos(10));
        for (long i = 0; i < total && System.nanoTime() - deadline < 0; i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int product = 1 + products.nextInt(PRODUCTS);
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/reviews/" + product))
                    .header("X-Request-Id", "req-" + (i + 1))
                    .timeout(REQUEST_TIMEOUT)
                    .GET()
                    .build();
            recording.sent();
            long sentAt = System.nanoTime();
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                recording.answered(response.statusCode(), System.nanoTime() - sentAt);
            } catch (IOException e) {
                recording.failed(e);
            }
        }
        // The last request owns an interval too: on schedule, the load lasts exactly the duration.
        long rest = start + total * intervalNanos - System.nanoTime();
        if (rest > 0) {
            TimeUnit.NANOSECONDS.sleep(rest);
        }
    }
}
