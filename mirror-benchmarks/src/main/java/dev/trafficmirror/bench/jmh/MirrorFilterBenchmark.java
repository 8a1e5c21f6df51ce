package dev.trafficmirror.bench.jmh;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorSink;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
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
 * What mirroring costs the request thread: a JSON POST (1 KiB by default) through
 * {@link MirrorFilter}.doFilter with mirroring on, against the same application called without the
 * filter ({@code baselineNoFilter}), with the filter installed but the request sampled out, and
 * with a hung shadow whose senders and queue are full, so that every copy is dropped.
 *
 * <p>The measured work is everything the request thread does: the head snapshot and sampling
 * before the application, the tee while it reads the body, the hand-off to the target's bounded
 * queue after it. The copy itself goes to a sink that discards it, on the mirror's own sender
 * threads; they share the machine's cores with the benchmark thread, as they would in production
 * with a sink of one's own (a plain-HTTP target with the built-in sender goes through the I/O
 * thread instead).
 * How many copies were sent and how many were dropped (queue full) is printed at the end of each
 * fork, so a score bought by dropping is visible.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class MirrorFilterBenchmark {

    private static final ShadowResponse OK = ShadowResponse.of(200);
    private static final MirrorSink DISCARD = (target, copy) -> OK;

    /** The request body's size in bytes. */
    @Param("1024")
    public int bodyBytes;

    private final InMemoryResponse response = new InMemoryResponse();
    private final byte[] readBuffer = new byte[4096];
    private final byte[] answer = "{\"stored\":true}".getBytes(StandardCharsets.UTF_8);
    private final FilterChain application = this::application;
    private InMemoryRequest request;
    private SimpleMeterRegistry mirroringMeters;
    private SimpleMeterRegistry samplingMeters;
    private Mirror mirroring;
    private Mirror sampling;
    private Mirror hung;
    private MirrorFilter mirroringFilter;
    private MirrorFilter samplingFilter;
    private MirrorFilter hungFilter;
    private SimpleMeterRegistry hungMeters;
    private final CountDownLatch hungShadowAnswers = new CountDownLatch(1);
    private long bodyBytesRead;

    /** The request, and three mirrors: mirroring everything, sampling nothing, and stuck on a hung shadow. */
    @Setup
    public void setUp() {
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        request = new InMemoryRequest("POST", "/reviews/7", "lang=en", List.of(
                Map.entry("Host", "reviews:9080"),
                Map.entry("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
                Map.entry("Accept", "application/json"),
                Map.entry("Accept-Encoding", "gzip, deflate, br"),
                Map.entry("Accept-Language", "en-US,en;q=0.9"),
                Map.entry("Content-Type", "application/json"),
                Map.entry("Content-Length", String.valueOf(bodyBytes)),
                Map.entry("X-Request-Id", "4bf92f3577b34da6a3ce929d0e0e4736"),
                Map.entry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")), body);
        // A registry each: the mirrors' gauges have no tag to tell two mirrors apart.
        mirroringMeters = new SimpleMeterRegistry();
        samplingMeters = new SimpleMeterRegistry();
        mirroring = Mirror.builder().target(MirrorTarget.of("shadow", "http://shadow.invalid:9080"))
                .sink(DISCARD).meterRegistry(mirroringMeters).build();
        sampling = Mirror.builder().target(MirrorTarget.of("sampled-out", "http://shadow.invalid:9080"))
                .percentage(0).sink(DISCARD).meterRegistry(samplingMeters).build();
        // One sender and a queue of one, both held by a shadow that answers only at tear-down.
        hungMeters = new SimpleMeterRegistry();
        hung = Mirror.builder().target(MirrorTarget.of("hung", "http://shadow.invalid:9080"))
                .maxConcurrent(1).queueCapacity(1)
                .sink((target, copy) -> {
                    try {
                        hungShadowAnswers.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while hanging");
                    }
                    return OK;
                })
                .meterRegistry(hungMeters).build();
        mirroringFilter = new MirrorFilter(mirroring);
        samplingFilter = new MirrorFilter(sampling);
        hungFilter = new MirrorFilter(hung);
    }

    /** Closes the mirrors and prints what their copies became, to show how many were dropped. */
    @TearDown
    public void tearDown() {
        mirroring.close(Duration.ofSeconds(5));
        sampling.close(Duration.ZERO);
        hungShadowAnswers.countDown();
        hung.close(Duration.ofSeconds(5));
        Map<String, Long> counts = new TreeMap<>();
        for (SimpleMeterRegistry registry : List.of(mirroringMeters, samplingMeters, hungMeters)) {
            for (Counter counter : registry.find("mirror.requests").counters()) {
                if (counter.count() > 0) {
                    counts.merge(counter.getId().getTag("target") + " " + counter.getId().getTag("outcome") + "/"
                            + counter.getId().getTag("reason"), (long) counter.count(), Long::sum);
                }
            }
        }
        System.out.println("mirror.requests in this fork: " + counts + "; body bytes read " + bodyBytesRead);
    }

    /** The application alone: reads the body, answers a small JSON document. */
    @Benchmark
    public int baselineNoFilter() throws IOException, ServletException {
        request.rewind();
        application.doFilter(request, response);
        return response.getStatus();
    }

    /** The application behind MirrorFilter, every request mirrored. */
    @Benchmark
    public int mirrored() throws IOException, ServletException {
        request.rewind();
        mirroringFilter.doFilter(request, response, application);
        return response.getStatus();
    }

    /** The application behind MirrorFilter at 0%: what the filter costs a request it does not mirror. */
    @Benchmark
    public int sampledOut() throws IOException, ServletException {
        request.rewind();
        samplingFilter.doFilter(request, response, application);
        return response.getStatus();
    }

    /** The application behind MirrorFilter while the shadow hangs: every copy is dropped (queue_full). */
    @Benchmark
    public int mirroredToHungShadow() throws IOException, ServletException {
        request.rewind();
        hungFilter.doFilter(request, response, application);
        return response.getStatus();
    }

    private void application(ServletRequest servletRequest, ServletResponse servletResponse) throws IOException {
        InputStream in = servletRequest.getInputStream();
        for (int n = in.read(readBuffer); n >= 0; n = in.read(readBuffer)) {
            bodyBytesRead += n;
        }
        HttpServletResponse http = (HttpServletResponse) servletResponse;
        http.setStatus(200);
        http.setContentType("application/json");
        http.setContentLength(answer.length);
        http.getOutputStream().write(answer);
    }
}
