package dev.trafficmirror.bench.bakeoff;

import dev.trafficmirror.bench.tls.Tls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The JDK's {@code java.net.http.HttpClient.sendAsync}, HTTP/1.1: one selector thread and a pool of
 * worker threads. It has no limit on connections or exchanges, so a {@link Gate} here lets 16 run
 * and the rest wait (bounded by {@link Tally}).
 *
 * <p>{@code sendAsync} completes the future it returns on the {@code CompletableFuture} default
 * executor. With two cores the common pool has a parallelism of 1, and that executor is then a new
 * thread per task: one thread started per copy ("Thread-N", in "other"). The {@code jdk-cp2} setup
 * runs the same sender with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2}, which
 * puts that hand-off on the common pool instead.
 *
 * <p>The 5 s request timeout lasts until the response's headers: nothing bounds the body. It
 * retries a GET once when a pooled connection turns out closed; only the retry of a failed connect
 * can be turned off (below).
 */
final class JdkSender implements CopySender {

    private final HttpClient client;
    private final String base;
    private final Tally tally = new Tally();
    private final Gate gate = new Gate();

    JdkSender(String base, Path caPem) throws Exception {
        // Read once, when the client's exchange class loads: no second connect attempt, as elsewhere.
        System.setProperty("jdk.httpclient.disableRetryConnect", "true");
        this.base = base;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(1));
        if (base.startsWith("https:")) {
            // The client sets endpoint identification "HTTPS" on its engine: hostname verification on.
            builder.sslContext(Tls.context(caPem));
        }
        client = builder.build();
    }

    @Override
    public void send(Copy copy) {
        if (tally.admit()) {
            gate.submit(() -> start(copy));
        }
    }

    private void start(Copy copy) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + copy.pathAndQuery()))
                    .timeout(Duration.ofSeconds(5))
                    .method(copy.method(), HttpRequest.BodyPublishers.noBody());
            for (Map.Entry<String, String> header : copy.wireHeaders()) {
                request.header(header.getKey(), header.getValue());
            }
            Capture capture = new Capture();
            client.sendAsync(request.build(), info -> HttpResponse.BodySubscribers.ofByteArrayConsumer(
                    bytes -> bytes.ifPresent(b -> capture.add(b, 0, b.length))))
                    .whenComplete((response, failure) -> {
                        if (failure == null) {
                            tally.completed();
                        } else {
                            tally.failed(failure);
                        }
                        gate.done();
                    });
        } catch (RuntimeException e) {
            tally.failed(e);
            gate.done();
        }
    }

    /**
     * At most 16 exchanges running; the others wait in line and start, in order, as running ones
     * end, on the thread that saw one end. Whoever adds work or frees a permit drains, so nothing
     * waits while a permit is free.
     */
    private static final class Gate {
        private final Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
        private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

        void submit(Runnable start) {
            waiting.add(start);
            drain();
        }

        void done() {
            permits.release();
            drain();
        }

        private void drain() {
            while (!waiting.isEmpty() && permits.tryAcquire()) {
                Runnable next = waiting.poll();
                if (next == null) {
                    permits.release();
                } else {
                    next.run();
                }
            }
        }
    }

    @Override
    public Counts counts() {
        return tally.counts();
    }

    @Override
    public void close() {
        // Java 17's client has no close(); the process ends right after.
    }
}
