package dev.trafficmirror.bench.e2e;

import static dev.trafficmirror.bench.local.LocalProcesses.awaitPort;
import static dev.trafficmirror.bench.local.LocalProcesses.duration;
import static dev.trafficmirror.bench.local.LocalProcesses.loadAverage;
import static dev.trafficmirror.bench.local.LocalProcesses.positive;
import static dev.trafficmirror.bench.local.LocalProcesses.requireFree;
import static dev.trafficmirror.bench.local.LocalProcesses.version;

import dev.trafficmirror.bench.local.LocalProcesses;
import dev.trafficmirror.bench.local.Wrk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The end-to-end load benchmark: how much a mirrored primary loses when its shadow is healthy,
 * slow, a black hole, or refusing connections, for trafficmirror and for nginx's mirror module,
 * side by side; and for trafficmirror, a tenth of requests mirrored, answers compared, copies
 * over TLS (trusting only make-certs.sh's private CA), and every exchange recorded, with no shadow,
 * to a file or to Kafka (mirror-kafka producing to a broker of {@link KafkaBroker}'s, started fresh
 * for each measurement). Every server runs on 127.0.0.1 in a process of its own; {@code wrk} makes
 * the load.
 *
 * <p>For each setup: start the shadow (or the broker), start the primary (and nginx in front of it
 * for the nginx table), load it with {@code wrk} for the warm-up, then measure with {@code wrk} for
 * the duration, stop everything. A recording's records are counted once the primary has stopped
 * (the lines of the files, the end offsets of the topic) and shown beside the mirror's own counts.
 * Results go to standard output and to {@code target/e2e/results.md} as markdown tables, with
 * throughput and latency as ratios to the run without mirroring and to the run with a healthy
 * shadow. Run it through {@code mirror-benchmarks/run-e2e.sh}.
 *
 * <pre>
 * LoadBenchmark [--duration 10s] [--warmup 5s] [--threads 2] [--connections 16] [--rounds 1]
 *               [--only trafficmirror|nginx|send-path] [--nginx /usr/sbin/nginx] [--work target/e2e]
 *               [--tls target/e2e/tls]
 * </pre>
 */
public final class LoadBenchmark {

    private static final int PRIMARY_PORT = 18180;
    private static final int SHADOW_PORT = 18182;
    private static final int NGINX_PORT = 18190;
    /** The Kafka broker's listener; its controller's is the next port. */
    private static final int KAFKA_PORT = 18192;
    private static final String PATH = "/api/products/0/reviews";

    /**
     * How copies leave: plain HTTP, HTTP with answers compared, TLS, or recorded (no shadow) to a file
     * or to Kafka (a broker of {@link KafkaBroker}'s).
     */
    enum Send { PLAIN, COMPARED, TLS, RECORDED, KAFKA }

    /** What is measured: which mirror, what its shadow does, and how copies reach it. */
    record Setup(String system, String shadow, boolean breaker, int percentage, Send send) {
        Setup(String system, String shadow, boolean breaker) {
            this(system, shadow, breaker, 100, Send.PLAIN);
        }

        Setup(String system, String shadow, boolean breaker, int percentage) {
            this(system, shadow, breaker, percentage, Send.PLAIN);
        }

        /** The healthy run the others are measured against: all requests, plain HTTP. */
        boolean isReference() {
            return shadow.equals("healthy") && percentage == 100 && send == Send.PLAIN;
        }

        String label() {
            if (send == Send.RECORDED) {
                return "recorded to a file (no shadow)";
            }
            if (send == Send.KAFKA) {
                return "recorded to Kafka (no shadow)";
            }
            return switch (shadow) {
                case "none" -> system.equals("nginx") ? "no mirror" : "no filter";
                case "slow" -> "shadow slow (1 s)";
                case "blackhole" -> "shadow black hole" + (breaker ? "" : ", breaker off");
                default -> "shadow " + shadow;
            } + (percentage < 100 ? ", " + percentage + " % mirrored" : "")
                    + switch (send) {
                        case PLAIN -> "";
                        case COMPARED -> ", answers compared";
                        case TLS -> ", over TLS";
                        case RECORDED, KAFKA -> "";
                    };
        }
    }

    /**
     * One measured run. CPU is per request served, in microseconds: the primary's process (with
     * nginx's processes for nginx), and the shadow's (the Kafka broker's, for Kafka).
     */
    record Result(Setup setup, double requestsPerSecond, double p50Millis, double p99Millis, long requests, long errors,
            double primaryCpuMicros, double shadowCpuMicros, String primaryThreads, String mirrorStats) {
    }

    private final Options options;
    private final LocalProcesses processes = new LocalProcesses();

    private LoadBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        LoadBenchmark benchmark = new LoadBenchmark(options);
        Runtime.getRuntime().addShutdownHook(new Thread(benchmark.processes::stopAll, "stop-benchmark-processes"));
        benchmark.run();
    }

    private void run() throws Exception {
        Files.createDirectories(options.work);
        String environment = environment();
        System.out.println(environment);
        List<Setup> setups = new ArrayList<>();
        if (options.wants("trafficmirror")) {
            // send-path: only the setups the send path's goals compare, for a shorter run.
            List<String> shadows = options.sendPathOnly() ? List.of("none", "healthy")
                    : List.of("none", "healthy", "slow", "blackhole", "refused");
            for (String shadow : shadows) {
                setups.add(new Setup("trafficmirror", shadow, true));
            }
            if (!options.sendPathOnly()) {
                setups.add(new Setup("trafficmirror", "blackhole", false));
            }
            setups.add(new Setup("trafficmirror", "healthy", true, 10));
            setups.add(new Setup("trafficmirror", "healthy", true, 100, Send.COMPARED));
            setups.add(new Setup("trafficmirror", "healthy", true, 100, Send.TLS));
            setups.add(new Setup("trafficmirror", "healthy", true, 100, Send.RECORDED));
            setups.add(new Setup("trafficmirror", "healthy", true, 100, Send.KAFKA));
        }
        if (options.wants("nginx")) {
            for (String shadow : List.of("none", "healthy", "slow", "blackhole", "refused")) {
                setups.add(new Setup("nginx", shadow, true));
            }
        }
        // Rounds interleave the setups, so that a burst of load from elsewhere hits them alike.
        Map<Setup, List<Result>> rounds = new LinkedHashMap<>();
        for (int round = 1; round <= options.rounds; round++) {
            for (Setup setup : setups) {
                System.out.printf("== round %d/%d: %s, %s (load average %s)%n", round, options.rounds, setup.system(),
                        setup.label(), loadAverage());
                Result result = measure(setup, round);
                System.out.printf("   %,.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors, CPU/req %.0f us primary"
                        + " %.0f us shadow%s%n", result.requestsPerSecond(), result.p50Millis(), result.p99Millis(),
                        result.errors(), result.primaryCpuMicros(), result.shadowCpuMicros(),
                        result.mirrorStats().isEmpty() ? "" : ", mirror: " + result.mirrorStats());
                rounds.computeIfAbsent(setup, s -> new ArrayList<>()).add(result);
            }
        }
        List<Result> results = rounds.values().stream().map(LoadBenchmark::median).toList();
        String report = environment + "\n" + tables(results);
        Path output = options.work.resolve("results.md");
        Files.writeString(output, report);
        System.out.println();
        System.out.println(report);
        System.out.println("written to " + output.toAbsolutePath());
    }

    /** The run with the median throughput, whole (its latencies and counts belong together). */
    private static Result median(List<Result> runs) {
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Result::requestsPerSecond));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private Result measure(Setup setup, int round) throws Exception {
        Path logs = options.work.resolve("round-" + round)
                .resolve(setup.system() + "-" + setup.shadow() + (setup.breaker() ? "" : "-nobreaker")
                        + (setup.percentage() < 100 ? "-" + setup.percentage() + "pct" : "")
                        + (setup.send() == Send.PLAIN ? "" : "-" + setup.send().name().toLowerCase(Locale.ROOT)));
        Files.createDirectories(logs);
        requireFree(SHADOW_PORT);
        requireFree(PRIMARY_PORT);
        requireFree(NGINX_PORT);
        Process shadow = null;
        Process broker = null;
        Process primary = null;
        Process nginx = null;
        try {
            boolean recorded = setup.send() == Send.RECORDED || setup.send() == Send.KAFKA;
            boolean shadowRuns = !setup.shadow().equals("none") && !setup.shadow().equals("refused") && !recorded;
            if (shadowRuns) {
                List<String> shadowArgs = new ArrayList<>(List.of(String.valueOf(SHADOW_PORT), setup.shadow()));
                if (setup.send() == Send.TLS) {
                    shadowArgs.add(options.tls.resolve("shadow.p12").toAbsolutePath().toString());
                }
                shadow = processes.java(ShadowServer.class, List.of("-Xms256m", "-Xmx256m"), shadowArgs, logs.resolve("shadow.log"));
                awaitPort(SHADOW_PORT, shadow, logs.resolve("shadow.log"));
            }
            if (setup.send() == Send.KAFKA) {
                // A fresh broker for each measurement: it starts in a few seconds, and its topic holds
                // this measurement's records only.
                broker = KafkaBroker.start(processes, KAFKA_PORT, logs);
            }
            boolean filter = setup.system().equals("trafficmirror") && !setup.shadow().equals("none");
            String scheme = setup.send() == Send.TLS ? "https" : "http";
            String target = switch (setup.send()) {
                case RECORDED -> "file:" + logs.resolve("records.jsonl").toAbsolutePath();
                case KAFKA -> "kafka://127.0.0.1:" + KAFKA_PORT + "/" + KafkaBroker.TOPIC;
                default -> scheme + "://127.0.0.1:" + SHADOW_PORT;
            };
            List<String> primaryArgs = new ArrayList<>(List.of(String.valueOf(PRIMARY_PORT), filter ? target : "none"));
            if (setup.send() == Send.TLS) {
                primaryArgs.add("ca=" + options.tls.resolve("ca.pem").toAbsolutePath());
            }
            if (setup.send() == Send.COMPARED) {
                primaryArgs.add("compare");
            }
            if (!setup.breaker()) {
                primaryArgs.add("no-breaker");
            }
            if (setup.percentage() < 100) {
                primaryArgs.add("percentage=" + setup.percentage());
            }
            primary = processes.java(PrimaryServer.class, List.of("-Xms1g", "-Xmx1g"), primaryArgs, logs.resolve("primary.log"));
            awaitPort(PRIMARY_PORT, primary, logs.resolve("primary.log"));
            int port = PRIMARY_PORT;
            if (setup.system().equals("nginx")) {
                Path conf = nginxConf(logs, !setup.shadow().equals("none"));
                nginx = processes.start(List.of(options.nginx, "-c", conf.toAbsolutePath().toString()), logs.resolve("nginx.log"));
                awaitPort(NGINX_PORT, nginx, logs.resolve("nginx.log"));
                port = NGINX_PORT;
            }
            String url = "http://127.0.0.1:" + port + PATH;
            processes.wrk(url, options.warmup, options.threads, options.connections, logs.resolve("wrk-warmup.txt"));
            List<Process> primarySide = nginx == null ? List.of(primary) : List.of(primary, nginx);
            long primaryCpu = cpuNanos(primarySide);
            Map<String, Long> primaryThreads = ThreadCpu.of(primary.pid());
            // The side that receives the copies: the shadow, or the broker.
            Process receiver = shadow != null ? shadow : broker;
            long shadowCpu = cpuNanos(receiver == null ? List.of() : List.of(receiver));
            Wrk measured = Wrk.parse(processes.wrk(url, options.duration, options.threads, options.connections, logs.resolve("wrk.txt")));
            double primaryMicros = (cpuNanos(primarySide) - primaryCpu) / 1000.0 / Math.max(1, measured.requests());
            String byThread = ThreadCpu.perRequest(primaryThreads, ThreadCpu.of(primary.pid()), measured.requests());
            double shadowMicros = receiver == null ? Double.NaN
                    : (cpuNanos(List.of(receiver)) - shadowCpu) / 1000.0 / Math.max(1, measured.requests());
            String stats = "";
            if (setup.system().equals("trafficmirror")) {
                // Stopping the primary closes its mirror, which writes out what it holds: count after.
                processes.stop(primary);
                stats = mirrorStats(logs.resolve("primary.log"));
                if (setup.send() == Send.RECORDED) {
                    stats += ", in the files: " + recordedLines(logs);
                }
                if (setup.send() == Send.KAFKA) {
                    stats += ", in the topic: " + KafkaBroker.records(KAFKA_PORT);
                }
            }
            return new Result(setup, measured.requestsPerSecond(), measured.p50Millis(), measured.p99Millis(),
                    measured.requests(), measured.errors(), primaryMicros, shadowMicros, byThread, stats);
        } finally {
            processes.stop(nginx);
            processes.stop(primary);
            processes.stop(shadow);
            processes.stop(broker);
        }
    }

    /** The records in a file recording, rotated files included: its lines, warm-up and measured run together. */
    private static long recordedLines(Path dir) throws IOException {
        long lines = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "records*.jsonl")) {
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                lines++;
                            }
                        }
                    }
                }
            }
        }
        return lines;
    }

    private Path nginxConf(Path dir, boolean mirror) throws IOException {
        String template;
        try (InputStream in = Objects.requireNonNull(LoadBenchmark.class.getResourceAsStream("nginx-mirror.conf"),
                "nginx-mirror.conf")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path temp = dir.toAbsolutePath().resolve("nginx-temp");
        Files.createDirectories(temp);
        String conf = template
                .replace("@DIR@", dir.toAbsolutePath().toString())
                .replace("@TEMP@", temp.toString())
                .replace("@LISTEN@", String.valueOf(NGINX_PORT))
                .replace("@PRIMARY@", String.valueOf(PRIMARY_PORT))
                .replace("@SHADOW@", String.valueOf(SHADOW_PORT))
                .replace("@MIRROR@", mirror ? "mirror /mirror;" : "# no mirror");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        return file;
    }

    /** CPU time used so far by these processes and their children (nginx's workers). */
    private static long cpuNanos(List<Process> processes) {
        long nanos = 0;
        for (Process process : processes) {
            nanos += cpuNanos(process.toHandle());
            nanos += process.descendants().mapToLong(LoadBenchmark::cpuNanos).sum();
        }
        return nanos;
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static String mirrorStats(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(line -> line.startsWith(PrimaryServer.STATS))
                .map(line -> line.substring(PrimaryServer.STATS.length()).trim()).findFirst().orElse("?");
    }

    private String environment() {
        StringBuilder text = new StringBuilder();
        text.append("# End-to-end load benchmark, ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE))
                .append("\n\n");
        text.append(LocalProcesses.machineAndJava()).append("; ");
        text.append(options.wants("nginx") ? version(List.of(options.nginx, "-v")) : "nginx not run").append('\n');
        text.append("- ").append(options.rounds == 1 ? "one run per setup"
                : "each setup run " + options.rounds + " times, interleaved; the run with the median throughput is shown")
                .append("; CPU/req: CPU time of the process(es) over requests served, in microseconds\n");
        text.append("- load: wrk -t").append(options.threads).append(" -c").append(options.connections).append(" -d")
                .append(options.duration).append(" --latency (after a ").append(options.warmup)
                .append(" warm-up), GET ").append(PATH).append(", keep-alive, all on 127.0.0.1\n");
        return text.toString();
    }

    /** One markdown table per system, ratios against that system's own baseline and healthy run. */
    static String tables(List<Result> results) {
        Map<String, List<Result>> bySystem = new LinkedHashMap<>();
        for (Result result : results) {
            bySystem.computeIfAbsent(result.setup().system(), s -> new ArrayList<>()).add(result);
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, List<Result>> entry : bySystem.entrySet()) {
            List<Result> runs = entry.getValue();
            Optional<Result> none = runs.stream().filter(r -> r.setup().shadow().equals("none")).findFirst();
            Optional<Result> healthy = runs.stream().filter(r -> r.setup().isReference()).findFirst();
            boolean ours = entry.getKey().equals("trafficmirror");
            text.append("\n### ").append(ours ? "trafficmirror (MirrorFilter on Jetty 12)" : "nginx mirror module (nginx in front of the same Jetty primary)")
                    .append("\n\n");
            text.append("| setup | req/s | p50 | p99 | errors | req/s vs none | p50 vs none | p99 vs none "
                    + "| req/s vs healthy | p50 vs healthy | p99 vs healthy | CPU/req ").append(ours ? "primary" : "nginx + primary")
                    .append(ours ? " | CPU/req shadow or broker |" : " | CPU/req shadow |")
                    .append(ours ? " primary CPU/req by thread (us) | mirrored copies |" : "")
                    .append('\n');
            text.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|").append(ours ? "---|---|" : "")
                    .append('\n');
            for (Result run : runs) {
                text.append("| ").append(run.setup().label())
                        .append(" | ").append(String.format(Locale.ROOT, "%,.0f", run.requestsPerSecond()))
                        .append(" | ").append(millis(run.p50Millis()))
                        .append(" | ").append(millis(run.p99Millis()))
                        .append(" | ").append(run.errors())
                        .append(" | ").append(ratio(run.requestsPerSecond(), none.map(Result::requestsPerSecond)))
                        .append(" | ").append(ratio(run.p50Millis(), none.map(Result::p50Millis)))
                        .append(" | ").append(ratio(run.p99Millis(), none.map(Result::p99Millis)))
                        .append(" | ").append(ratio(run.requestsPerSecond(), healthy.map(Result::requestsPerSecond)))
                        .append(" | ").append(ratio(run.p50Millis(), healthy.map(Result::p50Millis)))
                        .append(" | ").append(ratio(run.p99Millis(), healthy.map(Result::p99Millis)))
                        .append(" | ").append(micros(run.primaryCpuMicros()))
                        .append(" | ").append(micros(run.shadowCpuMicros()))
                        .append(" |");
                if (ours) {
                    text.append(' ').append(run.primaryThreads()).append(" |");
                    text.append(' ').append(run.mirrorStats().isEmpty() ? "-" : run.mirrorStats()).append(" |");
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    private static String millis(double millis) {
        return Double.isNaN(millis) ? "-" : millis >= 100 ? String.format(Locale.ROOT, "%,.0f ms", millis)
                : String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static String micros(double micros) {
        return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.0f us", micros);
    }

    private static String ratio(double value, Optional<Double> base) {
        if (base.isEmpty() || Double.isNaN(value) || base.get() == 0) {
            return "-";
        }
        double ratio = value / base.get();
        return ratio < 0.01 ? String.format(Locale.ROOT, "%.4f", ratio) : String.format(Locale.ROOT, "%.2f", ratio);
    }

    /** Command-line options. */
    private static final class Options {
        String duration = "10s";
        // The 10 % setup runs the mirror's code on a tenth of the requests: after 5 s the JIT was still
        // compiling it, a few microseconds of every request in the measured run.
        String warmup = "20s";
        int threads = 2;
        int connections = 16;
        int rounds = 1;
        String only;
        String nginx = "nginx";
        Path work = Path.of("mirror-benchmarks", "target", "e2e");
        /** Where make-certs.sh put the private CA and the shadow's certificate. */
        Path tls = Path.of("mirror-benchmarks", "target", "e2e", "tls");

        boolean wants(String system) {
            return only == null || only.equals(system) || (sendPathOnly() && system.equals("trafficmirror"));
        }

        /**
         * --only send-path: trafficmirror with no filter, with a healthy shadow, and recording: the
         * setups the send path's goals compare.
         */
        boolean sendPathOnly() {
            return "send-path".equals(only);
        }

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--duration" -> options.duration = duration(value, "--duration");
                    case "--warmup" -> options.warmup = duration(value, "--warmup");
                    case "--threads" -> options.threads = positive(value, "--threads");
                    case "--connections" -> options.connections = positive(value, "--connections");
                    case "--rounds" -> options.rounds = positive(value, "--rounds");
                    case "--only" -> {
                        if (!List.of("trafficmirror", "nginx", "send-path").contains(value)) {
                            throw new IllegalArgumentException("--only takes trafficmirror, nginx or send-path, was " + value);
                        }
                        options.only = value;
                    }
                    case "--nginx" -> options.nginx = Objects.requireNonNull(value, "--nginx needs a path");
                    case "--work" -> options.work = Path.of(Objects.requireNonNull(value, "--work needs a directory"));
                    case "--tls" -> options.tls = Path.of(Objects.requireNonNull(value, "--tls needs a directory"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; accepted: --duration 10s, --warmup 5s, --threads 2, --connections 16, --rounds 1,"
                            + " --only trafficmirror|nginx|send-path, --nginx <path>, --work <dir>, --tls <dir>");
                }
                i++;
            }
            return options;
        }

    }
}
