package dev.trafficmirror.examples;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.report.MirrorReport;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The demo, after Istio's reviews v1 -> v2 mirroring tutorial, in one JVM: users keep talking to
 * reviews-v1; reviews-v2 is deployed but not released and gets a mirrored copy of every request
 * through trafficmirror's {@link MirrorFilter}, which compares v2's answers with v1's. A second
 * reviews-v1, the control, gets the same copies: whatever differs between it and v1 is noise, not
 * v2's doing. A steady load runs, both services' logs are printed side by side tied by the mirror
 * id, then a summary says how v2 behaved and what it answers differently, and the library's
 * {@link MirrorReport}, fed by the live mirror, draws it. Exits by itself, every thread it started
 * stopped.
 *
 * <p>Flags: {@code --duration 30s} (also {@code 500ms}, {@code 5m}), {@code --qps 5},
 * {@code --report target/reviews-demo-report.html}.
 */
public final class ReviewsDemo {

    static final String TARGET = ReviewsService.Version.V2.serviceName();
    static final String CONTROL = "reviews-v1-control";
    /** The recording target's name, with {@code --record}. */
    static final String RECORDING = "recording";

    private ReviewsDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args see the class documentation
     * @throws IllegalArgumentException for a bad flag, naming it and what it accepts
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        DemoOptions options = DemoOptions.parse(args);
        if (options.replay() != null) {
            ReplayDemo.run(options, out, new PrintStream(System.err, true, StandardCharsets.UTF_8));
        } else {
            run(options, out);
        }
    }

    /** Runs the demo, printing to {@code out}; writes the report; returns what it found. */
    static DemoResult run(DemoOptions options, PrintStream out) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DemoRecording recording = new DemoRecording();
        SideBySideLog log = new SideBySideLog(out);
        Consumer<AccessLogEntry> accessLog = entry -> {
            recording.served(entry);
            log.accept(entry, recording.secondsAt(entry.atNanos()));
        };
        ComparisonSummary comparisons;
        MirrorMeters v2Meters;
        MirrorMeters controlMeters;
        MirrorMeters recordMeters;
        String report;
        try (ReviewsService v2 = ReviewsService.start(ReviewsService.Version.V2, TARGET, null, accessLog);
                ReviewsService control = ReviewsService.start(ReviewsService.Version.V1, CONTROL, null, accessLog)) {
            Mirror.Builder builder = Mirror.builder()
                    .target(MirrorTarget.of(TARGET, v2.url()).compare(true))
                    .target(MirrorTarget.of(CONTROL, control.url()).control(true))
                    .percentage(100)
                    .meterRegistry(registry);
            if (options.record() != null) {
                // A recording target beside the two shadows: v1's exchanges, with v1's answers, to a file.
                Path file = options.record().toAbsolutePath();
                Files.createDirectories(file.getParent());
                Files.deleteIfExists(file);
                builder.target(MirrorTarget.of(RECORDING, "file:" + file));
            }
            Mirror mirror = builder.build();
            MirrorReport live = MirrorReport.builder(mirror).meterRegistry(registry)
                    .title("reviews v1 \u2192 v2").primaryName(ReviewsService.Version.V1.serviceName())
                    .description(String.format(Locale.ROOT, "reviews-v1 (released) answers the users, %d requests/s for"
                            + " %s; every request is mirrored by trafficmirror to reviews-v2 (deployed, not released),"
                            + " whose answers are compared with v1's, then discarded, and to reviews-v1-control (v1"
                            + " again), which tells noise from differences.", options.qps(),
                            DemoOptions.format(options.duration())))
                    .interval(Duration.ofNanos(DemoRecording.bucketNanos(options.duration())))
                    .points(DemoRecording.MAX_BUCKETS + 1)
                    .build();
            try {
                try (ReviewsService v1 = ReviewsService.start(ReviewsService.Version.V1,
                        ReviewsService.Version.V1.serviceName(), new MirrorFilter(mirror), accessLog)) {
                    LoadGenerator users = new LoadGenerator(v1.url(), options, recording);
                    printIntroduction(out, options, v1, v2, control);
                    log.printHeader();
                    recording.start();
                    users.run();
                    recording.stop();
                }
            } finally {
                // Lets the last copies reach v2 and the control before they stop, and be compared, then
                // reads the meters, which close() removes; whatever is left is counted as shutdown.
                awaitSettled(registry, Duration.ofSeconds(5));
                v2Meters = MirrorMeters.read(registry, TARGET);
                controlMeters = MirrorMeters.read(registry, CONTROL);
                recordMeters = options.record() == null ? null : MirrorMeters.read(registry, RECORDING);
                comparisons = mirror.comparisons();
                report = live.render();
                mirror.close(Duration.ofSeconds(5));
                live.close();
            }
        }
        DemoResult result = new DemoResult(options, recording.elapsed(), recording.users(), recording.v1(),
                recording.v2(), recording.control(), v2Meters, controlMeters,
                ResponseDifferences.of(comparisons, TARGET, CONTROL), options.report(), recordMeters);
        writeReport(result.report(), report);
        out.println();
        out.print(SummaryText.render(result));
        out.flush();
        return result;
    }

    /** Waits, up to {@code most}, until the mirror holds no copy: every one sent, answered and compared. */
    private static void awaitSettled(SimpleMeterRegistry registry, Duration most) throws InterruptedException {
        long deadline = System.nanoTime() + most.toNanos();
        while (registry.get("mirror.inflight").gauge().value() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void printIntroduction(PrintStream out, DemoOptions options, ReviewsService v1, ReviewsService v2,
            ReviewsService control) {
        out.println("trafficmirror demo: reviews v1 -> v2, after Istio's traffic mirroring tutorial, in one JVM");
        out.printf(Locale.ROOT, "  reviews-v1          %s  released: users talk to it; its MirrorFilter copies each"
                + " request%n", v1.url());
        out.printf(Locale.ROOT, "  reviews-v2          %s  not released: gets the copies; answers compared with v1's,"
                + " dropped%n", v2.url());
        out.printf(Locale.ROOT, "  %s  %s  v1 again, the control: gets the copies; tells noise apart (log not shown)%n",
                CONTROL, control.url());
        out.printf(Locale.ROOT, "  load                %d requests/s for %s (%d requests); a copy's X-Mirror-Id is its"
                + " request's X-Request-Id%n%n", options.qps(), DemoOptions.format(options.duration()), options.requests());
    }

    private static void writeReport(Path path, String page) throws IOException {
        Path report = path.toAbsolutePath();
        Files.createDirectories(report.getParent());
        Files.writeString(report, page, StandardCharsets.UTF_8);
    }
}
