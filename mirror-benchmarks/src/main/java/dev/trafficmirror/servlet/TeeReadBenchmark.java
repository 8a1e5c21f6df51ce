package dev.trafficmirror.servlet;

import dev.trafficmirror.bench.jmh.MemoryInputStream;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.integration.PendingMirror;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast an application reads a request body through the tee ({@link TeeInputStream} into a
 * {@link BodyTee}), against reading the same bytes from the container's stream directly
 * ({@code baselineRawStream}). Lives in {@code dev.trafficmirror.servlet} because both classes are
 * package-private. 8 KiB reads, as most body readers do.
 *
 * <p>Both grow the copy from a small first chunk, each step reserved in the mirror's byte budget:
 * {@code teeStream} knows the length from Content-Length and grows no further than it;
 * {@code teeStreamUnknownLength} (a chunked upload) grows by doubling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class TeeReadBenchmark {

    private static final long MAX_BODY_SIZE = 1 << 20;

    /** The body's size in bytes. */
    @Param({"1024", "65536", "1048576"})
    public int bytes;

    private final byte[] readBuffer = new byte[8192];
    private MemoryInputStream container;
    private Mirror mirror;
    /** A request being read, never sent: each tee reserves its room here and gives it back. */
    private PendingMirror pending;

    /** A random body of the size under test, and a mirror whose budget the tees reserve in. */
    @Setup
    public void setUp() {
        byte[] body = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(body);
        container = new MemoryInputStream(body);
        mirror = Mirror.builder().target(MirrorTarget.of("shadow", "http://127.0.0.1:9"))
                .sink((target, request) -> ShadowResponse.of(200)).meterRegistry(new SimpleMeterRegistry()).build();
        pending = mirror.integration().begin(MirrorRequest.builder("POST", "/upload").build());
    }

    @TearDown
    public void tearDown() {
        mirror.close();
    }

    /** Reading the body from the container's stream, no tee. */
    @Benchmark
    public long baselineRawStream() throws IOException {
        container.rewind();
        return readAll(container);
    }

    /** Reading through the tee, Content-Length known. */
    @Benchmark
    public byte[] teeStream() throws IOException {
        container.rewind();
        BodyTee tee = new BodyTee(MAX_BODY_SIZE, bytes, pending);
        readAll(new TeeInputStream(container, tee));
        byte[] copy = tee.bytes();
        tee.release();
        return copy;
    }

    /** Reading through the tee, length unknown (chunked). */
    @Benchmark
    public byte[] teeStreamUnknownLength() throws IOException {
        container.rewind();
        BodyTee tee = new BodyTee(MAX_BODY_SIZE, -1, pending);
        readAll(new TeeInputStream(container, tee));
        byte[] copy = tee.bytes();
        tee.release();
        return copy;
    }

    private long readAll(ServletInputStream in) throws IOException {
        long total = 0;
        for (int n = in.read(readBuffer, 0, readBuffer.length); n >= 0; n = in.read(readBuffer, 0, readBuffer.length)) {
            total += n;
        }
        return total;
    }
}
