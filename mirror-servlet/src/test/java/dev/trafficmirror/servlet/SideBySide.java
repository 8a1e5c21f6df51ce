package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.test.RecordingSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The same application in two containers of one kind: one behind a {@link MirrorFilter} whose
 * mirror records its copies, one without any filter. A request sent to both must be answered the
 * same; the copy must be the request.
 */
final class SideBySide implements AutoCloseable {

    static final String TARGET = "shadow";
    private static final AtomicLong ids = new AtomicLong();

    final ServletContainer.Kind kind;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RecordingSink sink = new RecordingSink();
    final Mirror mirror;
    final ServletContainer plain;
    final ServletContainer mirrored;
    final MirrorFilter filter;

    private SideBySide(ServletContainer.Kind kind, long maxBodySize, MirrorFilter.Forms forms,
            Function<ServletContainer.Deployment, ServletContainer.Deployment> deployment) throws Exception {
        this.kind = kind;
        this.mirror = Mirror.builder().target(MirrorTarget.of(TARGET, "http://127.0.0.1:9"))
                .sink(sink).maxBodySize(maxBodySize).meterRegistry(registry).build();
        this.filter = new MirrorFilter(mirror, forms);
        this.plain = kind.start(deployment.apply(ServletContainer.Deployment.of(new ProbeServlet())));
        this.mirrored = kind.start(deployment.apply(ServletContainer.Deployment.of(new ProbeServlet()).filter(filter)));
    }

    static SideBySide start(ServletContainer.Kind kind, long maxBodySize,
            Function<ServletContainer.Deployment, ServletContainer.Deployment> deployment) throws Exception {
        return new SideBySide(kind, maxBodySize, MirrorFilter.Forms.REBUILD, deployment);
    }

    static SideBySide start(ServletContainer.Kind kind, long maxBodySize, MirrorFilter.Forms forms,
            Function<ServletContainer.Deployment, ServletContainer.Deployment> deployment) throws Exception {
        return new SideBySide(kind, maxBodySize, forms, deployment);
    }

    /** A request id no other test uses; it becomes the copy's X-Mirror-Id. */
    static String newId() {
        return "probe-" + ids.incrementAndGet();
    }

    /** The answers of both applications to the same request, and the id the mirrored one carried. */
    record Answers(RawHttp.Response plain, RawHttp.Response mirrored, String id) {
        /** The application behind the filter answered exactly as the one without it. */
        Answers same() {
            assertThat(mirrored.status()).as("status").isEqualTo(plain.status());
            assertThat(mirrored.text()).as("what the application observed").isEqualTo(plain.text());
            return this;
        }
    }

    /** Sends {@code request} (a fresh one per call, from the same recipe) to both applications. */
    Answers send(Function<String, RawHttp.Request> request) throws IOException {
        String plainId = newId();
        String id = newId();
        RawHttp.Response plainAnswer = request.apply(plainId).send(plain.port());
        RawHttp.Response mirroredAnswer = request.apply(id).send(mirrored.port());
        return new Answers(plainAnswer, mirroredAnswer, id);
    }

    /** The copy mirrored for the request with this id, once it arrives. */
    MirrorRequest copy(String id) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
                .until(() -> find(id), Optional::isPresent).orElseThrow();
    }

    Optional<MirrorRequest> find(String id) {
        return sink.recorded().stream().map(RecordingSink.Recorded::request)
                .filter(r -> id.equals(r.header(Mirror.MIRROR_ID_HEADER))).findFirst();
    }

    /** Counts of the mirror's outcomes by reason, right now. */
    Map<Reason, Double> counts() {
        Map<Reason, Double> counts = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            counts.put(reason, count(reason));
        }
        return counts;
    }

    double count(Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", TARGET).tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Waits until exactly one more request than in {@code before} was counted, and checks that it was
     * counted with {@code reason}.
     */
    void awaitOneMore(Map<Reason, Double> before, Reason reason) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).untilAsserted(() ->
                assertThat(total(counts()) - total(before)).isEqualTo(1.0));
        assertThat(count(reason) - before.get(reason)).as("counted as " + reason.tag() + " in " + counts()).isEqualTo(1.0);
    }

    private static double total(Map<Reason, Double> counts) {
        return counts.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Bodies of this type ({@code multipart}, {@code form}) rebuilt from what the container parsed. */
    double rebuilt(String type) {
        return registry.get("mirror.body.rebuilt").tag("type", type).counter().count();
    }

    @Override
    public void close() throws Exception {
        plain.close();
        mirrored.close();
        mirror.close(Duration.ZERO);
    }
}
