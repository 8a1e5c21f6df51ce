package dev.trafficmirror.replay;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.TracePropagation;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.integration.MirrorIntegration;
import dev.trafficmirror.core.record.RecordedExchange;
import dev.trafficmirror.report.MirrorReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the replay tool. The records go out through a {@link Mirror} with one target, the
 * {@code --to} URL, and each one's recorded answer is handed over as the primary's answer
 * ({@link MirrorIntegration#replay}): so a replayed copy takes exactly the path of a live copy (the
 * I/O thread, the target's bounds, breaker and timeouts, the same meters), and its answer is
 * compared by the same engine, with the same noise rules, as a live one; the summary and the report
 * read the mirror as the demo's do.
 *
 * <p>The replayer never sends beyond what the target can hold ({@code --concurrency} in flight and
 * as many queued): it waits for room instead, so that the tool's own speed never drops a record.
 * Records whose time has come are sent; with {@code --speed} their time is the recorded one,
 * scaled; with {@code --rate} one every 1/rate s; with {@code --max} at once.
 */
final class Replayer {

    /** The most unreadable lines named in the summary; the rest are counted. */
    static final int NAMED_UNREADABLE = 20;
    static final String MIRROR_NAME = "replay";
    /** The shadow's answers up to this size are kept for comparing: recordings keep up to 64 KiB by default. */
    private static final int CAPTURE_LIMIT = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ReplayOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private volatile boolean stop;
    private volatile Thread running;
    private volatile RecordSource source;

    private long lines;
    private long records;
    private long unreadable;
    private long unknownVersion;
    private final List<String> namedUnreadable = new ArrayList<>();
    private final SortedMap<Integer, Long> recordedStatuses = new TreeMap<>();
    private long notCaptured;
    private Instant firstReceived;
    private Instant lastReceived;
    private final AtomicLong sent = new AtomicLong();
    private long passes;

    Replayer(ReplayOptions options, PrintStream out, PrintStream err, boolean terminal) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Stops sending (Ctrl-C, or a test ending a {@code --loop}); {@link #run} then prints the summary so far. */
    void stop() {
        stop = true;
        Thread thread = running;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
        RecordSource reading = source;
        if (reading != null) {
            reading.wakeup();
        }
    }

    boolean stopped() {
        return stop;
    }

    /** Records sent so far, for progress and tests. */
    long sent() {
        return sent.get();
    }

    /** Replays (or, with {@code --dry-run}, reads) the recording; prints the summary; returns the exit code. */
    int run() {
        running = Thread.currentThread();
        for (Path file : options.fromKafka() ? List.<Path>of() : options.files()) {
            String problem = Replay.unreadable(file);
            if (problem != null) {
                err.println("mirror-replay: " + problem);
                return Replay.UNREADABLE_RECORDING;
            }
        }
        RecordSource source;
        try {
            source = open();
        } catch (IllegalArgumentException e) {
            // A Kafka URL or consumer setting that Kafka's own checks refuse.
            err.println("mirror-replay: --from " + options.fromText() + ": " + e.getMessage());
            return Replay.USAGE;
        } catch (IOException e) {
            err.println("mirror-replay: cannot read " + options.fromText() + ": " + e.getMessage());
            return Replay.UNREADABLE_RECORDING;
        }
        try {
            return options.dryRun() ? dryRun(source) : replay(source);
        } catch (IOException e) {
            err.println("mirror-replay: cannot read " + options.fromText() + ": " + e.getMessage());
            return Replay.UNREADABLE_RECORDING;
        }
    }

    private int dryRun(RecordSource opened) throws IOException {
        DryRunText plan = new DryRunText(options);
        try (RecordSource source = opened) {
            RecordSource.Line line;
            while (!stop && (line = source.next()) != null) {
                count(line);
                if (!line.unreadable()) {
                    plan.add(line);
                }
                source.done(line);
            }
        }
        out.print(plan.render(this));
        out.flush();
        return unreadable > 0 ? Replay.INCOMPLETE : Replay.OK;
    }

    /** The source, woken by {@link #stop} while it waits for records. */
    private RecordSource open() throws IOException {
        RecordSource source = RecordSource.open(options);
        this.source = source;
        if (stop) {
            source.wakeup();
        }
        return source;
    }

    /** Replays from {@code first}: opened before anything is made, so that what cannot be read is said at once. */
    private int replay(RecordSource first) throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ShadowStatuses statuses = new ShadowStatuses();
        Mirror mirror;
        try {
            mirror = mirror(registry, statuses);
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
        MirrorReport report = options.report() == null ? null : MirrorReport.builder(mirror).meterRegistry(registry)
                .title("replay of " + options.fromName() + " \u2192 " + target(mirror).name())
                .primaryName("recording")
                .description("The exchanges recorded in " + options.fromText() + " replayed to "
                        + options.to() + " (" + options.paceText() + "); each answer compared with the answer the"
                        + " primary gave when it was recorded.")
                .interval(Duration.ofSeconds(1)).points(601).build();
        Gauge inFlight = registry.get("mirror.inflight").tag("mirror", MIRROR_NAME).gauge();
        long started = System.nanoTime();
        boolean interrupted;
        String unfinished = null;
        try {
            interrupted = send(first, mirror.integration(), inFlight, started);
        } catch (IOException e) {
            // The source broke off (a broker gone for good): what was replayed so far is summed up.
            interrupted = true;
            unfinished = e.getMessage();
        } catch (RuntimeException e) {
            mirror.close(Duration.ZERO);
            throw e;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        awaitSettled(inFlight, TIMEOUT.plusSeconds(2));
        List<TargetStats> stats = mirror.stats();
        ComparisonSummary comparisons = mirror.comparisons();
        String page = report == null ? null : report.render();
        ShadowTimes times = ShadowTimes.read(registry, target(mirror).name());
        mirror.close(Duration.ofSeconds(1));
        if (report != null) {
            report.close();
            writeReport(page);
        }
        ReplayResult result = new ReplayResult(options, lines, records, unreadable, unknownVersion,
                List.copyOf(namedUnreadable), new TreeMap<>(recordedStatuses), notCaptured, firstReceived,
                lastReceived, sent.get(), passes, elapsed, interrupted, stats, comparisons, statuses.snapshot(), times);
        out.print(ReplaySummary.render(result));
        out.flush();
        if (unfinished != null) {
            err.println("mirror-replay: stopped reading " + options.fromText() + ": " + unfinished);
            return Replay.UNREADABLE_RECORDING;
        }
        return result.exitCode();
    }

    /** Sends every record, pass after pass with {@code --loop}; whether it was interrupted. */
    private boolean send(RecordSource first, MirrorIntegration mirror, Gauge inFlight, long started)
            throws IOException {
        int window = options.concurrency() * 2;
        double rateGapNanos = options.pace() instanceof ReplayOptions.Pace.Rate rate ? 1e9 / rate.perSecond() : 0;
        double speed = options.pace() instanceof ReplayOptions.Pace.Speed s ? s.factor() : 0;
        long passStart = started;
        Progress progress = null;
        try {
            do {
                passes++;
                Instant passFirst = null;
                try (RecordSource source = passes == 1 ? first : open()) {
                    if (progress == null) {
                        // Counting a file's lines is a pass over it: only for a progress that shows the time left.
                        boolean show = options.progress() == null ? terminal : options.progress();
                        progress = Progress.start(show, err, this::sent, show && !options.loop() ? source.size() : -1,
                                options.loop() || options.follow());
                    }
                    RecordSource.Line line;
                    while (!stop && (line = source.next()) != null) {
                        if (passes == 1) {
                            count(line);
                        }
                        if (line.unreadable()) {
                            source.done(line);
                            continue;
                        }
                        RecordedExchange exchange = line.exchange();
                        long due;
                        if (speed > 0) {
                            if (passFirst == null) {
                                passFirst = exchange.receivedAt();
                            }
                            long recordedOffset = Math.max(0, Duration.between(passFirst, exchange.receivedAt()).toNanos());
                            due = passStart + (long) (recordedOffset / speed);
                        } else if (rateGapNanos > 0) {
                            due = started + (long) (sent.get() * rateGapNanos);
                        } else {
                            due = System.nanoTime();
                        }
                        awaitTime(due);
                        awaitRoom(inFlight, window);
                        if (stop) {
                            break;
                        }
                        mirror.replay(exchange);
                        sent.incrementAndGet();
                        source.done(line);
                    }
                }
                passStart = System.nanoTime();
            } while (options.loop() && !stop && records > 0);
        } finally {
            if (progress != null) {
                progress.stop();
            }
        }
        return stop;
    }

    private void count(RecordSource.Line line) {
        lines++;
        if (line.unreadable()) {
            unreadable++;
            if (line.unknownVersion()) {
                unknownVersion++;
            }
            if (namedUnreadable.size() < NAMED_UNREADABLE) {
                namedUnreadable.add(line.where() + ": " + line.problem());
            }
            return;
        }
        records++;
        RecordedExchange exchange = line.exchange();
        exchange.response().ifPresentOrElse(answer -> recordedStatuses.merge(answer.status(), 1L, Long::sum),
                () -> notCaptured++);
        Instant at = exchange.receivedAt();
        if (firstReceived == null || at.isBefore(firstReceived)) {
            firstReceived = at;
        }
        if (lastReceived == null || at.isAfter(lastReceived)) {
            lastReceived = at;
        }
    }

    private Mirror mirror(SimpleMeterRegistry registry, ShadowStatuses statuses) {
        MirrorTarget target = options.name() == null ? MirrorTarget.of(options.to())
                : MirrorTarget.of(options.name(), options.to());
        Mirror.Builder builder = Mirror.builder()
                .name(MIRROR_NAME)
                .target(target.compare(options.compare()))
                .percentage(100)
                // The recorded headers are what the copy carried: its trace context goes as recorded.
                .trace(TracePropagation.PROPAGATE)
                .maxConcurrent(options.concurrency())
                .queueCapacity(options.concurrency())
                .maxBodySize(FileSource.MAX_LINE)
                .responseCaptureLimit(CAPTURE_LIMIT)
                .timeout(TIMEOUT)
                .meterRegistry(registry);
        if (options.control() != null) {
            builder.target(MirrorTarget.of("control", options.control()).control(true));
        }
        if (options.compare()) {
            builder.comparison(CompareOptions.builder()
                    .ignorePaths(options.ignorePaths().toArray(String[]::new))
                    .ignoreHeaders(options.ignoreHeaders().toArray(String[]::new))
                    .listener(statuses)
                    .build());
        }
        return builder.build();
    }

    private static MirrorTarget target(Mirror mirror) {
        return mirror.targets().get(0);
    }

    /** Waits until {@code due} (System.nanoTime), or a stop. */
    private void awaitTime(long due) {
        long wait;
        while (!stop && (wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, Math.min(wait, 100_000_000L));
        }
    }

    /** Waits until the mirror holds fewer than {@code window} copies, or a stop: the replayer never drops. */
    private void awaitRoom(Gauge inFlight, int window) {
        while (!stop && inFlight.value() >= window) {
            LockSupport.parkNanos(this, 200_000L);
        }
    }

    /** Waits, up to {@code most}, until every copy sent is answered and compared. */
    private static void awaitSettled(Gauge inFlight, Duration most) {
        long deadline = System.nanoTime() + most.toNanos();
        while (inFlight.value() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private void writeReport(String page) throws IOException {
        Path path = options.report().toAbsolutePath();
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.writeString(path, page, StandardCharsets.UTF_8);
    }

    // for DryRunText
    long lines() {
        return lines;
    }

    long records() {
        return records;
    }

    long unreadable() {
        return unreadable;
    }

    List<String> namedUnreadable() {
        return namedUnreadable;
    }

    SortedMap<Integer, Long> recordedStatuses() {
        return recordedStatuses;
    }

    Instant firstReceived() {
        return firstReceived;
    }

    Instant lastReceived() {
        return lastReceived;
    }

    /** The shadow's answers by exact status, from the comparisons (only known when comparing). */
    static final class ShadowStatuses implements dev.trafficmirror.core.compare.ComparisonListener {
        private final Map<String, ConcurrentSkipListMap<Integer, AtomicLong>> byTarget = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void onComparison(dev.trafficmirror.core.compare.Comparison comparison) {
            if (comparison.shadowStatus() > 0) {
                byTarget.computeIfAbsent(comparison.target(), t -> new ConcurrentSkipListMap<>())
                        .computeIfAbsent(comparison.shadowStatus(), s -> new AtomicLong()).incrementAndGet();
            }
        }

        Map<String, SortedMap<Integer, Long>> snapshot() {
            Map<String, SortedMap<Integer, Long>> copy = new TreeMap<>();
            byTarget.forEach((target, counts) -> {
                SortedMap<Integer, Long> statuses = new TreeMap<>();
                counts.forEach((status, count) -> statuses.put(status, count.get()));
                copy.put(target, statuses);
            });
            return copy;
        }
    }
}
