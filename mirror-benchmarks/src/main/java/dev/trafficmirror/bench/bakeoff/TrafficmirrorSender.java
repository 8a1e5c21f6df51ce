package dev.trafficmirror.bench.bakeoff;

import dev.trafficmirror.bench.tls.Tls;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorFailure;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.TargetStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Today's send path, through the public API only: {@code http://} and {@code https://} copies go
 * out on the mirror's one non-blocking {@code trafficmirror-io} thread (TLS by the JDK's
 * {@code SSLEngine}), trusting only the private CA, as the other clients do. The mirror keeps up to
 * 64 KiB of each answer (its default).
 */
final class TrafficmirrorSender implements CopySender {

    private final Mirror mirror;
    private final LongAdder submitted = new LongAdder();

    TrafficmirrorSender(String base, Path caPem) throws Exception {
        MirrorTarget target = MirrorTarget.of("shadow", base);
        if (base.startsWith("https:")) {
            target = target.sslContext(Tls.context(caPem));
        }
        this.mirror = Mirror.builder()
                .target(target)
                .maxConcurrent(MAX_IN_FLIGHT)
                .queueCapacity(MAX_QUEUED)
                .connectTimeout(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(5))
                .responseCaptureLimit(CAPTURE_LIMIT)
                // The servlet has sampled already; the mirror takes what it is given.
                .percentage(100)
                // The other clients have no breaker: every copy is attempted, as theirs are.
                .noCircuitBreaker()
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    @Override
    public void send(Copy copy) {
        MirrorRequest.Builder request = MirrorRequest.builder(copy.method(), copy.path())
                .query(copy.query())
                .scheme(copy.scheme())
                .remoteAddress(copy.remoteAddress());
        for (Map.Entry<String, String> header : copy.headers()) {
            request.header(header.getKey(), header.getValue());
        }
        submitted.increment();
        mirror.submit(request.build());
    }

    @Override
    public Counts counts() {
        TargetStats stats = mirror.stats().get(0);
        long completed = stats.count(Outcome.COMPLETED);
        long failed = stats.count(Outcome.FAILED);
        // Skipped would be a copy the mirror refused to make; with nothing excluded it stays 0,
        // and counting it as dropped keeps it visible if it ever is not.
        long dropped = stats.count(Outcome.DROPPED) + stats.count(Outcome.SKIPPED);
        Map<String, Long> byReason = new TreeMap<>();
        stats.counts().forEach((reason, count) -> {
            if (reason.outcome() == Outcome.FAILED && count > 0) {
                byReason.put(reason.name(), count);
            }
        });
        // The oldest of the few failures the mirror keeps.
        String first = stats.recentFailures().stream().reduce((newer, older) -> older)
                .map(TrafficmirrorSender::describe).orElse("");
        String failure = Counts.failures(byReason, first);
        return new Counts(completed, failed, dropped, submitted.sum() - stats.requests(), failure);
    }

    private static String describe(MirrorFailure failure) {
        return failure.reason() + ": " + failure.detail();
    }

    @Override
    public void close() {
        mirror.close(Duration.ofSeconds(1));
    }
}
