package dev.trafficmirror.servlet;

import dev.trafficmirror.bench.jmh.MemoryInputStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast an application reads a request body through the tee ({@link TeeInputStream} into a
 * {@link BodyTee}), against reading the same bytes from the container's stream directly
 * ({@code baselineRawStream}). Lives in {@code dev.trafficmirror.servlet} because both classes are
 * package-private. 8 KiB reads, as most body readers do.
 *
 * <p>{@code teeStream} knows the length from Content-Length and allocates the copy once;
 * {@code teeStreamUnknownLength} (a chunked upload) grows it by doubling.
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

    /** A random body of the size under test. */
    @Setup
    public void setUp() {
        byte[] body = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(body);
        container = new MemoryInputStream(body);
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
        BodyTee tee = new BodyTee(MAX_BODY_SIZE, bytes);
        readAll(new TeeInputStream(container, tee));
        return tee.bytes();
    }

    /** Reading through the tee, length unknown (chunked). */
    @Benchmark
    public byte[] teeStreamUnknownLength() throws IOException {
        container.rewind();
        BodyTee tee = new BodyTee(MAX_BODY_SIZE, -1);
        readAll(new TeeInputStream(container, tee));
        return tee.bytes();
    }

    private long readAll(ServletInputStream in) throws IOException {
        long total = 0;
        for (int n = in.read(readBuffer, 0, readBuffer.length); n >= 0; n = in.read(readBuffer, 0, readBuffer.length)) {
            total += n;
        }
        return total;
    }
}
