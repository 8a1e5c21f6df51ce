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
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random bodies (0 to 2 MiB), read in a random way, sent in random pieces and framings, on each
 * container: the application reads exactly the bytes sent, and the mirror carries exactly the body,
 * or nothing (counted {@code body_too_large}) when it is over the cap.
 *
 * <p>Each container and its mirror start once, on a property's first try; copies are recorded in
 * memory. Most bodies are small, a few are large; empty bodies, the cap and one byte over it each
 * come up about once in a hundred tries.
 */
class BodyFidelityPropertyTest {

    private static final int CAP = 1 << 20;
    private static final int LARGEST = 2 << 20;
    private static final Map<ServletContainer.Kind, Primary> primaries = new EnumMap<>(ServletContainer.Kind.class);

    /** How the application reads: the probe's path, and what it reads of a body. */
    enum Reading {
        BYTE("/stream/byte"), ARRAY("/stream/array"), RANGE("/stream/range"), ALL("/stream/all"), N_BYTES("/stream/n"),
        SKIP("/stream/skip"), LINE("/stream/line"), READER("/reader/bytes"), PARTIAL("/partial"), NONE("/ignore"),
        NON_BLOCKING("/async/listener"), OTHER_THREAD("/async/thread"), ASYNC_DISPATCH("/async/dispatch");

        final String path;

        Reading(String path) {
            this.path = path;
        }
    }

    /** One try: the body (from a seed), how it is read, framed and written. */
    record Upload(int size, long seed, Reading reading, int setting, int readSize, boolean chunked, int chunkSize,
            int maxWrite) {

        byte[] body() {
            return Apps.randomBytes(size, seed);
        }

        /** The bytes the application reads of {@code body} when reading this way. */
        byte[] read(byte[] body) {
            return switch (reading) {
                case PARTIAL -> Arrays.copyOf(body, Math.min(setting, body.length));
                case NONE -> null;
                case SKIP -> {
                    ByteArrayOutputStream kept = new ByteArrayOutputStream();
                    for (int at = setting; at < body.length; at += setting + readSize) {
                        kept.write(body, at, Math.min(readSize, body.length - at));
                    }
                    yield kept.toByteArray();
                }
                default -> body;
            };
        }

        RawHttp.Request request(String id) {
            RawHttp.Request request = new RawHttp.Request("POST", reading.path).header("X-Request-Id", id)
                    .header("X-Probe-Size", String.valueOf(reading == Reading.SKIP ? readSize : setting))
                    .header("X-Probe-Skip", String.valueOf(setting)).header("X-Probe-Bytes", String.valueOf(setting))
                    .header("X-Probe-Offset", String.valueOf(setting % 7))
                    .body(body()).randomWrites(seed ^ 0x5bd1e995L, Math.max(maxWrite, size / 200));
            // Pieces and chunks are random, yet never so small that a large body takes thousands of them.
            return chunked ? request.chunked(Math.max(chunkSize, size / 500)) : request;
        }
    }

    @Provide
    Arbitrary<Upload> uploads() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(80, Arbitraries.integers().between(0, 8 * 1024)),
                Tuple.of(14, Arbitraries.integers().between(8 * 1024, 256 * 1024)),
                Tuple.of(4, Arbitraries.integers().between(256 * 1024, LARGEST)),
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.just(CAP)),
                Tuple.of(1, Arbitraries.just(CAP + 1)));
        return Combinators.combine(sizes, Arbitraries.longs(), Arbitraries.of(Reading.class),
                Arbitraries.integers().between(1, 70_000), Arbitraries.integers().between(1, 70_000),
                Arbitraries.of(true, false), Arbitraries.integers().between(1, 100_000),
                Arbitraries.integers().between(1, 200_000))
                .as(Upload::new);
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void jettyReadsAndMirrorsEveryBodyExactly(@ForAll("uploads") Upload upload) throws Exception {
        check(ServletContainer.Kind.JETTY, upload);
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void tomcatReadsAndMirrorsEveryBodyExactly(@ForAll("uploads") Upload upload) throws Exception {
        check(ServletContainer.Kind.TOMCAT, upload);
    }

    /** Fewer tries on Undertow, a third container for the same code: it keeps CI time down. */
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void undertowReadsAndMirrorsEveryBodyExactly(@ForAll("uploads") Upload upload) throws Exception {
        check(ServletContainer.Kind.UNDERTOW, upload);
    }

    private static void check(ServletContainer.Kind kind, Upload upload) throws Exception {
        Statistics.label("size").collect(upload.size() == 0 ? "empty" : upload.size() <= 8 * 1024 ? "up to 8 KiB"
                : upload.size() <= 256 * 1024 ? "up to 256 KiB" : upload.size() <= CAP ? "up to the cap" : "over the cap");
        Statistics.label("framing").collect(upload.chunked() ? "chunked" : "length");
        Primary primary = primary(kind);
        String id = SideBySide.newId();
        byte[] body = upload.body();
        double countedBefore = primary.counted();

        RawHttp.Response response = upload.request(id).send(primary.container.port());

        assertThat(response.status()).isEqualTo(200);
        byte[] read = upload.read(body);
        if (read == null) {
            assertThat(response.text()).contains("ignored=true");
        } else {
            assertThat(response.text()).contains("read=" + ProbeServlet.describe(read) + "\n");
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> primary.counted() == countedBefore + 1);
        Optional<MirrorRequest> copy = primary.sink.recorded().stream().map(RecordingSink.Recorded::request)
                .filter(r -> id.equals(r.header(Mirror.MIRROR_ID_HEADER))).findFirst();
        primary.sink.clear();
        if (body.length > CAP) {
            assertThat(copy).isEmpty();
            assertThat(primary.count(Reason.BODY_TOO_LARGE)).isPositive();
        } else {
            assertThat(copy).hasValueSatisfying(c -> assertThat(c.bodyBytes()).isEqualTo(body));
        }
        assertThat(primary.counted() - primary.count(Reason.NONE) - primary.count(Reason.BODY_TOO_LARGE))
                .as("nothing counted but completed and too large").isZero();
    }

    private static synchronized Primary primary(ServletContainer.Kind kind) throws Exception {
        Primary primary = primaries.get(kind);
        if (primary == null) {
            primary = new Primary(kind);
            primaries.put(kind, primary);
        }
        return primary;
    }

    @AfterContainer
    static void stopPrimaries() throws Exception {
        for (Primary primary : primaries.values()) {
            primary.close();
        }
        primaries.clear();
    }

    /** The application behind the filter, with a mirror that records its copies. */
    private static final class Primary implements AutoCloseable {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final RecordingSink sink = new RecordingSink();
        final Mirror mirror;
        final ServletContainer container;

        Primary(ServletContainer.Kind kind) throws Exception {
            mirror = Mirror.builder().target(MirrorTarget.of(SideBySide.TARGET, "http://127.0.0.1:9")).sink(sink)
                    .maxBodySize(CAP).meterRegistry(registry).build();
            container = kind.start(ServletContainer.Deployment.of(new ProbeServlet())
                    .filter(new MirrorFilter(mirror)));
        }

        double count(Reason reason) {
            Counter counter = registry.find("mirror.requests").tag("reason", reason.tag()).counter();
            return counter == null ? 0 : counter.count();
        }

        double counted() {
            return registry.find("mirror.requests").counters().stream().mapToDouble(Counter::count).sum();
        }

        @Override
        public void close() throws Exception {
            container.close();
            mirror.close(Duration.ZERO);
        }
    }
}
