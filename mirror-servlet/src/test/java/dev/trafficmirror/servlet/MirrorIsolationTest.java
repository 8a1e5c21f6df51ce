package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.servlet.HostileShadow.Behaviour;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bounds, breaker, shutdown and containment seen from the application: through {@link MirrorFilter}
 * on a real container, with a real misbehaving shadow, every request gets its own answer.
 */
class MirrorIsolationTest {

    private static final String TARGET = "shadow";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private Mirror mirror;
    private ServletContainer primary;

    @AfterEach
    void stopAll() throws Exception {
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
        if (primary != null) {
            primary.close();
        }
        for (AutoCloseable closeable : closeLast) {
            closeable.close();
        }
    }

    private static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    private HostileShadow shadow(Behaviour behaviour) throws Exception {
        HostileShadow shadow = HostileShadow.start(behaviour);
        closeLast.add(shadow);
        return shadow;
    }

    private void start(ServletContainer.Kind kind, String url, UnaryOperator<Mirror.Builder> settings) throws Exception {
        mirror = settings.apply(Mirror.builder().target(MirrorTarget.of(TARGET, url)).meterRegistry(registry)).build();
        primary = kind.start(new MirrorFilter(mirror), new EchoServlet());
    }

    /** Posts {@code body} and checks that the application's own answer came back. */
    private void post(byte[] body) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(primary.url("/upload")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(EchoServlet.describe(body));
    }

    // From the mirror's own counts: a closed mirror has removed its meters from the registry.
    private double count(Reason reason) {
        return mirror.stats().stream().filter(stats -> stats.target().name().equals(TARGET)).findFirst().orElseThrow()
                .count(reason);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldKeepBufferedBodiesWithinTheBudgetWhileTheShadowHoldsEverything(ServletContainer.Kind kind) throws Exception {
        HostileShadow shadow = shadow(Behaviour.NEVER_ANSWER);
        long budget = 1L << 20;
        int bodySize = 64 << 10;
        start(kind, shadow.url(), b -> b.maxBufferedBytes(budget).timeout(Duration.ofSeconds(30)));
        byte[] body = new byte[bodySize];
        Random random = new Random(1);
        int requests = 300;
        double maxBuffered = 0;

        for (int i = 0; i < requests; i++) {
            random.nextBytes(body);
            post(body);
            maxBuffered = Math.max(maxBuffered, gauge("mirror.buffered"));
        }

        int fit = (int) (budget / bodySize);
        assertThat(maxBuffered).isLessThanOrEqualTo(budget);
        soon().untilAsserted(() -> assertThat(count(Reason.MEMORY_BUDGET)).isEqualTo(requests - fit));
        assertThat(gauge("mirror.buffered")).isEqualTo((double) budget);
        assertThat(gauge("mirror.inflight")).isEqualTo(fit);

        mirror.close(Duration.ZERO);

        assertThat(count(Reason.SHUTDOWN)).isEqualTo(fit);
        assertThat(registry.find("mirror.buffered").gauges()).as("removed by close()").isEmpty();
        if (LoopbackConnections.supported()) {
            soon().untilAsserted(() -> assertThat(LoopbackConnections.to(shadow.port())).isZero());
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldPauseAFailingShadowAndResumeWhenItAnswersAgain(ServletContainer.Kind kind) throws Exception {
        HostileShadow shadow = shadow(Behaviour.RESET_MID_RESPONSE);
        start(kind, shadow.url(), b -> b.circuitBreaker(5, Duration.ofMillis(300)).maxConcurrent(1));
        byte[] body = {1, 2, 3};
        long start = System.nanoTime();

        for (int i = 0; i < 50; i++) {
            post(body);
        }

        soon().until(() -> count(Reason.IO) + count(Reason.CIRCUIT_OPEN) == 50);
        // Five failures open it; then at most one probe per 300 ms cool-down, however slow the machine.
        double probes = Math.ceil((System.nanoTime() - start) / 300e6) + 1;
        assertThat(count(Reason.IO)).as("failed copies, probes included").isBetween(5.0, 5.0 + probes);
        assertThat(count(Reason.CIRCUIT_OPEN)).isGreaterThanOrEqualTo(45 - probes);
        assertThat(shadow.requests()).as("skipped copies never reach the shadow").isEqualTo((int) count(Reason.IO));

        shadow.become(Behaviour.ANSWER);
        soon().pollInterval(Duration.ofMillis(20)).until(() -> {
            post(body);
            return count(Reason.NONE) > 0;
        });
        soon().until(() -> gauge("mirror.inflight") == 0);
        double skipped = count(Reason.CIRCUIT_OPEN);
        double answered = count(Reason.NONE);
        for (int i = 0; i < 20; i++) {
            post(body);
        }

        soon().until(() -> count(Reason.NONE) == answered + 20);
        assertThat(count(Reason.CIRCUIT_OPEN)).as("closed again after the probe").isEqualTo(skipped);
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldCancelSendingAndQueuedCopiesAtTheDrainDeadlineAndKeepServing(ServletContainer.Kind kind) throws Exception {
        HostileShadow shadow = shadow(Behaviour.NEVER_ANSWER);
        start(kind, shadow.url(), b -> b.maxConcurrent(2).queueCapacity(10).timeout(Duration.ofSeconds(30)));
        for (int i = 0; i < 8; i++) {
            post(new byte[] {(byte) i});
        }
        soon().until(() -> shadow.requests() == 2);
        // Jetty answers the client once Content-Length bytes are out, before the filter hands over the copy.
        soon().untilAsserted(() -> assertThat(gauge("mirror.inflight")).as("two sending, six queued").isEqualTo(8));

        long start = System.nanoTime();
        mirror.close(Duration.ofMillis(200));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        post(new byte[] {9});

        assertThat(took).as("the copies' own timeout is 30 s").isLessThan(Duration.ofSeconds(5));
        assertThat(count(Reason.SHUTDOWN)).isEqualTo(9);
        assertThat(registry.find("mirror.inflight").gauges()).as("removed by close()").isEmpty();
        soon().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().contains("trafficmirror")));
        if (LoopbackConnections.supported()) {
            soon().untilAsserted(() -> assertThat(LoopbackConnections.to(shadow.port())).isZero());
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldKeepWhateverTheSinkThrowsAwayFromTheApplication(ServletContainer.Kind kind) throws Exception {
        int[] calls = {0};
        start(kind, "http://shadow", b -> b.noCircuitBreaker().maxConcurrent(1).sink((target, request) -> {
            switch (calls[0]++ % 3) {
                case 0 -> throw new IllegalStateException("a bug in a sink");
                case 1 -> throw new NoClassDefFoundError("kotlin/enums/EnumEntriesKt");
                default -> throw new OutOfMemoryError("Java heap space");
            }
        }));

        for (int i = 0; i < 30; i++) {
            post(new byte[] {(byte) i});
        }

        soon().untilAsserted(() -> assertThat(count(Reason.ERROR)).isEqualTo(30));
    }
}
