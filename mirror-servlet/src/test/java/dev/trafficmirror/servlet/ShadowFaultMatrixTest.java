package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.servlet.HostileShadow.Behaviour;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix: a primary (real Jetty or Tomcat with {@link MirrorFilter}) mirrors every request
 * to a shadow that fails in one way. For each fault, every client request gets the application's
 * own answer, every copy is counted under the expected reason, and once the copies are done the
 * primary holds no more threads than before and no connection is left open after close.
 */
class ShadowFaultMatrixTest {

    private static final String TARGET = "shadow";
    private static final int MAX_CONCURRENT = 8;
    private static final int WARM_UP = 2 * MAX_CONCURRENT;
    private static final HandshakeCertificates UNTRUSTED = new HandshakeCertificates.Builder()
            .heldCertificate(new HeldCertificate.Builder().commonName("untrusted shadow")
                    .addSubjectAlternativeName("127.0.0.1").build())
            .build();

    /** One way for a shadow to fail; {@code requests} is how many the primary serves after its warm-up. */
    enum Fault {
        ANSWERS_AFTER_2S(Behaviour.ANSWER_AFTER_2S, 40, Reason.TIMEOUT, null),
        NEVER_ANSWERS(Behaviour.NEVER_ANSWER, 40, Reason.TIMEOUT, null),
        REFUSES(null, 1000, Reason.CONNECT, null),
        RESETS_MID_REQUEST(Behaviour.RESET_MID_REQUEST, 1000, Reason.IO, null),
        RESETS_MID_RESPONSE(Behaviour.RESET_MID_RESPONSE, 1000, Reason.IO, null),
        ANSWERS_500(Behaviour.ANSWER_500, 1000, Reason.NONE, "5xx"),
        TRUNCATES_RESPONSE(Behaviour.TRUNCATE, 1000, Reason.IO, null),
        ANSWERS_50_MB(Behaviour.ANSWER_50_MB, 200, Reason.NONE, "2xx"),
        HOST_DOES_NOT_RESOLVE(null, 1000, Reason.CONNECT, null),
        UNTRUSTED_TLS_CERTIFICATE(Behaviour.ANSWER, 200, Reason.TLS, null),
        REDIRECTS(Behaviour.REDIRECT, 1000, Reason.NONE, "3xx");

        final Behaviour behaviour;
        final int requests;
        final Reason reason;
        final String status;

        Fault(Behaviour behaviour, int requests, Reason reason, String status) {
            this.behaviour = behaviour;
            this.requests = requests;
            this.reason = reason;
            this.status = status;
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        // The mirror's isolation is the same code on every container: Jetty, and Tomcat as a second opinion.
        for (ServletContainer.Kind kind : List.of(ServletContainer.Kind.JETTY, ServletContainer.Kind.TOMCAT)) {
            for (Fault fault : Fault.values()) {
                cases.add(Arguments.of(kind, fault));
            }
        }
        return cases.stream();
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final AtomicInteger clientThreads = new AtomicInteger();
    private final ExecutorService clientExecutor = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "client-" + clientThreads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(clientExecutor).build();
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
        clientExecutor.shutdownNow();
    }

    private static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    @ParameterizedTest(name = "{0}: shadow {1}")
    @MethodSource("matrix")
    void shouldServeEveryRequestUnchangedCountEveryCopyAndLeaveNothingBehind(ServletContainer.Kind kind, Fault fault)
            throws Exception {
        HostileShadow shadow = startShadow(fault);
        HostileShadow elsewhere = HostileShadow.start(Behaviour.ANSWER);
        closeLast.add(elsewhere);
        String url = switch (fault) {
            case REFUSES -> "http://127.0.0.1:" + closedPort();
            case HOST_DOES_NOT_RESOLVE -> "http://mirror-shadow.invalid:8080";
            default -> shadow.url();
        };
        if (shadow != null) {
            shadow.redirectTo(elsewhere.url() + "/elsewhere");
        }
        mirror = Mirror.builder().target(MirrorTarget.of(TARGET, url))
                .connectTimeout(Duration.ofSeconds(2)).timeout(timeout(fault))
                .maxConcurrent(MAX_CONCURRENT).queueCapacity(2 * (WARM_UP + fault.requests))
                .noCircuitBreaker().meterRegistry(registry).build();
        primary = kind.start(new MirrorFilter(mirror), new EchoServlet());
        // Tomcat is a second opinion on the same code path: a fifth of the requests is enough there.
        int requests = kind == ServletContainer.Kind.JETTY ? fault.requests : Math.max(40, fault.requests / 5);

        serve(0, WARM_UP, shadow);
        soon().until(() -> gauge("mirror.inflight") == 0);
        List<String> threadsBefore = primaryThreads();

        serve(WARM_UP, requests, shadow);

        // The client has its answer before the filter hands the copy over: wait for the last count,
        // not only for an empty lane.
        int mirrored = WARM_UP + requests;
        soon().untilAsserted(() -> assertThat(totalCount()).as("copies counted at all: %s", counts()).isEqualTo(mirrored));
        soon().until(() -> gauge("mirror.inflight") == 0);
        assertThat(count(fault.reason)).as("copies counted as %s: %s", fault.reason.tag(), counts()).isEqualTo(mirrored);
        if (fault.status != null) {
            assertThat(registry.get("mirror.shadow.duration").tag("target", TARGET).tag("status", fault.status)
                    .timer().count()).isEqualTo(mirrored);
        }
        assertThat(gauge("mirror.buffered")).isZero();
        assertThat(elsewhere.requests()).as("redirects are not followed").isZero();
        soon().pollInSameThread().untilAsserted(() -> assertThat(primaryThreads())
                .as("primary threads after %d requests; new: %s", requests, newThreads(threadsBefore))
                .hasSizeLessThanOrEqualTo(threadsBefore.size()));

        mirror.close(Duration.ofSeconds(5));

        soon().pollInSameThread().untilAsserted(() -> assertThat(primaryThreads()).noneMatch(name -> name.startsWith("trafficmirror")));
        if (shadow != null && LoopbackConnections.supported()) {
            soon().untilAsserted(() -> assertThat(LoopbackConnections.to(shadow.port())).isZero());
        }
    }

    /** Short where every copy must time out; otherwise long enough for a TLS handshake on a busy machine. */
    private static Duration timeout(Fault fault) {
        return fault.reason == Reason.TIMEOUT ? Duration.ofMillis(300) : Duration.ofSeconds(2);
    }

    private HostileShadow startShadow(Fault fault) throws Exception {
        if (fault.behaviour == null) {
            return null;
        }
        HostileShadow shadow = fault == Fault.UNTRUSTED_TLS_CERTIFICATE
                ? HostileShadow.startTls(fault.behaviour, UNTRUSTED.sslContext())
                : HostileShadow.start(fault.behaviour);
        closeLast.add(shadow);
        return shadow;
    }

    /** Sends requests one after the other; each must get the application's own answer. */
    private void serve(int first, int requests, HostileShadow shadow) throws Exception {
        byte[] body = new byte[2048];
        new Random(first).nextBytes(body);
        for (int i = first; i < first + requests; i++) {
            ByteBuffer.wrap(body).putInt(i);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(primary.url("/orders/" + i + "?q=1")))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(response.body()).as("request %d", i).isEqualTo(EchoServlet.describe(body));
            if (shadow != null && i % 100 == 0 && LoopbackConnections.supported()) {
                assertThat(LoopbackConnections.to(shadow.port())).as("connections to the shadow")
                        .isLessThanOrEqualTo(MAX_CONCURRENT);
            }
        }
    }

    /**
     * The primary's threads: everything but the shadow's and the test client's, which stand for
     * other machines, and OkHttp's JVM-wide daemons ("OkHttp TaskRunner", "Okio Watchdog"), which
     * every OkHttp user in the JVM shares (MockWebServer in other tests too), come and go with the
     * work of all of them, and end after 60 s idle.
     */
    private static List<String> primaryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> !name.startsWith("shadow-") && !name.startsWith("client-") && !name.startsWith("HttpClient-"))
                .filter(name -> !name.startsWith("OkHttp ") && !name.startsWith("Okio "))
                .sorted()
                .toList();
    }

    private static List<String> newThreads(List<String> before) {
        List<String> now = new ArrayList<>(primaryThreads());
        before.forEach(now::remove);
        return now;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private double count(Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", TARGET).tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }

    private String counts() {
        StringBuilder counts = new StringBuilder();
        for (Counter counter : registry.find("mirror.requests").tag("target", TARGET).counters()) {
            if (counter.count() > 0) {
                counts.append(counter.getId().getTag("reason")).append('=').append(counter.count()).append(' ');
            }
        }
        return counts.toString();
    }

    private double totalCount() {
        return registry.find("mirror.requests").tag("target", TARGET).counters().stream().mapToDouble(Counter::count).sum();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
