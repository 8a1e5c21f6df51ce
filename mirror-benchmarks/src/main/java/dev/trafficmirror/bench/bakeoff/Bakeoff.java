package dev.trafficmirror.bench.bakeoff;

import static dev.trafficmirror.bench.local.LocalProcesses.awaitPort;
import static dev.trafficmirror.bench.local.LocalProcesses.duration;
import static dev.trafficmirror.bench.local.LocalProcesses.loadAverage;
import static dev.trafficmirror.bench.local.LocalProcesses.positive;
import static dev.trafficmirror.bench.local.LocalProcesses.requireFree;
import static dev.trafficmirror.bench.local.LocalProcesses.version;

import dev.trafficmirror.bench.e2e.ThreadCpu;
import dev.trafficmirror.bench.local.LocalProcesses;
import dev.trafficmirror.bench.local.Wrk;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The send-path bake-off: what each candidate client costs the primary per copy, and how much of
 * its throughput the primary keeps, copying 100 % and 10 % of its requests to nginx over plain HTTP
 * and over TLS. Every run starts a fresh nginx shadow and a fresh {@link BakeoffPrimary} JVM,
 * loads it with {@code wrk} for the warm-up, then measures with {@code wrk} for the duration and
 * reads the primary's CPU by thread from {@code /proc} around it, as the end-to-end benchmark does.
 * Each round runs a primary without copies first in each block (plain, then TLS), and the ratios
 * compare against that run of the same round. Rounds interleave the setups and rotate the order of
 * the clients, so that load from elsewhere hits them alike.
 *
 * <p>Before the rounds, each client copies to a TLS shadow whose certificate names another host:
 * every copy must fail, which shows hostname verification is on. Run it through
 * {@code mirror-benchmarks/run-bakeoff.sh}.
 *
 * <pre>
 * Bakeoff --tls &lt;dir&gt; [--duration 10s] [--warmup 15s] [--rounds 1] [--only jetty,okhttp]
 *         [--nginx /usr/sbin/nginx] [--work mirror-benchmarks/target/bakeoff]
 * </pre>
 */
public final class Bakeoff {

    private static final int PRIMARY_PORT = 18380;
    private static final int HTTP_PORT = 18382;
    private static final int HTTPS_PORT = 18383;
    private static final int WRONG_PORT = 18384;
    private static final String PATH = "/api/products/0/reviews";
    private static final List<String> CLIENTS = List.of("trafficmirror", "jetty", "apache", "okhttp", "jdk");
    /** Only when asked for with --only: the JDK client with the common pool's parallelism at 2 (see JdkSender). */
    private static final List<String> EXTRA = List.of("jdk-cp2");
    private static final List<String> GROUPS = List.of("requests", "client", "JIT", "GC", "other");
    private static final String ENDED = "ended";

    /** One configuration: a client ({@code none}: no copies), over TLS or not, every {@code every}-th request copied. */
    record Setup(String client, boolean tls, int every, boolean wrongHost) {
        boolean baseline() {
            return client.equals("none");
        }

        String transport() {
            return tls ? "https" : "http";
        }

        String share() {
            return baseline() ? "0 %" : (100 / every) + " %";
        }

        String name() {
            return transport() + "-" + client + (baseline() ? "" : "-" + (100 / every) + "pct") + (wrongHost ? "-wrong-host" : "");
        }
    }

    /** The primary's counts, from {@link BakeoffPrimary.CopyServlet#stats()}. */
    record Stats(long served, long sampled, long completed, long failed, long dropped, long outstanding, String failure) {
        private static final Pattern LINE = Pattern.compile("served=(\\d+) sampled=(\\d+) completed=(\\d+) failed=(\\d+)"
                + " dropped=(\\d+) outstanding=(-?\\d+) failure=(.*)");

        static Stats parse(String line) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                throw new IllegalStateException("not a stats line: " + line);
            }
            return new Stats(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), m.group(7));
        }

        Stats minus(Stats before) {
            return new Stats(served - before.served, sampled - before.sampled, completed - before.completed,
                    failed - before.failed, dropped - before.dropped, outstanding, failure);
        }

        /** Every sampled copy accounted for: completed, failed or dropped, none left over. */
        boolean settled() {
            return outstanding == 0 && sampled == completed + failed + dropped;
        }
    }

    /**
     * One measured run. CPU in microseconds per request served, total (the process) and by thread
     * group; {@code window} counts the copies of the measured duration, {@code total} the whole
     * run; {@code shadowSeen} is nginx's access log, by port, TLS protocol and status, and
     * {@code connections} how many connections those came on; {@code othersCores} the user CPU time
     * that neither the primary, nginx, wrk nor this program used during the measured duration, in
     * cores: someone else's load.
     */
    record Run(Setup setup, int round, Wrk wrk, double cpuMicros, Map<String, Double> groupMicros, Stats window,
            Stats total, Map<String, Long> shadowSeen, long connections, String loadBefore, String loadAfter,
            double othersCores) {

        double rps() {
            return wrk.requestsPerSecond();
        }
    }

    private final Options options;
    private final LocalProcesses processes = new LocalProcesses();
    private final HttpClient statsClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Bakeoff(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Bakeoff bakeoff = new Bakeoff(Options.parse(args));
        Runtime.getRuntime().addShutdownHook(new Thread(bakeoff.processes::stopAll, "stop-bakeoff-processes"));
        bakeoff.run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(options.work);
        for (String file : List.of("ca.pem", "shadow.pem", "shadow.key", "wrong.pem", "wrong.key")) {
            if (!Files.isReadable(options.tls.resolve(file))) {
                throw new IllegalStateException(options.tls.resolve(file) + " is missing; run-bakeoff.sh makes it");
            }
        }
        String environment = environment();
        System.out.println(environment);

        // Hostname verification first: a mistake there makes every other number meaningless.
        List<Run> verification = new ArrayList<>();
        for (String client : options.clients) {
            Setup setup = new Setup(client, true, 1, true);
            System.out.printf("== verification: %s against a certificate for wrong.example (load average %s)%n",
                    client, loadAverage());
            Run run = measure(setup, 0, null, "3s", 1, 4);
            System.out.printf("   copies completed %d, failed %d, dropped %d; shadow saw %s; first failure: %s%n",
                    run.total().completed(), run.total().failed(), run.total().dropped(), run.shadowSeen(),
                    run.total().failure());
            verification.add(run);
        }

        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= options.rounds; round++) {
            for (Setup setup : order(round)) {
                System.out.printf("== round %d/%d: %s (load average %s)%n", round, options.rounds, setup.name(), loadAverage());
                Run run = measure(setup, round, options.warmup, options.duration, 2, 16);
                runs.add(run);
                Run base = baseline(runs, run);
                System.out.printf(Locale.ROOT, "   %,.0f req/s (kept %.3f), %d errors, CPU/req %.1f us (%s), CPU/copy %s us,"
                        + " copies in window %d/%d/%d completed/failed/dropped, shadow saw %s on %d connections,"
                        + " others' CPU %.2f cores%n",
                        run.rps(), run.rps() / base.rps(), run.wrk().errors(), run.cpuMicros(), groups(run),
                        format(perCopy(run, base)), run.window().completed(), run.window().failed(),
                        run.window().dropped(), run.shadowSeen(), run.connections(), run.othersCores());
            }
        }
        String report = environment + "\n" + summary(runs) + "\n" + checks(runs) + "\n" + verificationTable(verification)
                + "\n" + perRun(runs) + String.format(Locale.ROOT, "%nWall time of the measurements: %.1f min; load"
                + " average (1 min) over the runs: %s; others' CPU (user time of processes not the benchmark's) in the"
                + " measured windows: %s cores.%n", (System.nanoTime() - started) / 60e9, loadRange(runs), othersRange(runs));
        Path output = options.work.resolve("results.md");
        Files.writeString(output, report);
        Files.writeString(options.work.resolve("runs.csv"), csv(runs));
        System.out.println();
        System.out.println(report);
        System.out.println("written to " + output.toAbsolutePath());
    }

    /** One round: per transport, the run without copies, then each share with every client, clients rotated by round. */
    private List<Setup> order(int round) {
        List<String> clients = new ArrayList<>(options.clients);
        Collections.rotate(clients, -(round - 1));
        List<Setup> setups = new ArrayList<>();
        for (boolean tls : List.of(false, true)) {
            setups.add(new Setup("none", tls, 1, false));
            for (int every : List.of(1, 10)) {
                for (String client : clients) {
                    setups.add(new Setup(client, tls, every, false));
                }
            }
        }
        return setups;
    }

    private Run measure(Setup setup, int round, String warmup, String duration, int threads, int connections)
            throws Exception {
        Path logs = options.work.resolve(round == 0 ? "verification" : "round-" + round).resolve(setup.name());
        deleteTree(logs); // nginx appends to its log: counts of an earlier invocation must not remain
        Files.createDirectories(logs);
        for (int port : List.of(PRIMARY_PORT, HTTP_PORT, HTTPS_PORT, WRONG_PORT)) {
            requireFree(port);
        }
        Process nginx = null;
        Process primary = null;
        try {
            nginx = processes.start(List.of(options.nginx, "-c", nginxConf(logs).toString()), logs.resolve("nginx.log"));
            awaitPort(HTTP_PORT, nginx, logs.resolve("nginx.log"));
            primary = processes.start(primaryCommand(setup), logs.resolve("primary.log"));
            awaitPort(PRIMARY_PORT, primary, logs.resolve("primary.log"));
            String url = "http://127.0.0.1:" + PRIMARY_PORT + PATH;
            if (warmup != null) {
                processes.wrk(url, warmup, threads, connections, logs.resolve("wrk-warmup.txt"));
            }
            String loadBefore = loadAverage();
            Stats before = stats();
            long othersBefore = machineUserTicks() - oursUserTicks(primary, nginx);
            long startedAt = System.nanoTime();
            long cpuBefore = processTicks(primary.pid());
            Map<String, Long> threadsBefore = ThreadCpu.of(primary.pid(), Bakeoff::group);
            Wrk measured = Wrk.parse(processes.wrk(url, duration, threads, connections, logs.resolve("wrk.txt")));
            long cpuAfter = processTicks(primary.pid());
            Map<String, Long> threadsAfter = ThreadCpu.of(primary.pid(), Bakeoff::group);
            double othersCores = (machineUserTicks() - oursUserTicks(primary, nginx) - othersBefore)
                    / ThreadCpu.TICKS_PER_SECOND / ((System.nanoTime() - startedAt) / 1e9);
            Stats window = stats().minus(before);
            String loadAfter = loadAverage();
            Files.writeString(logs.resolve("threads.txt"), threadNames(primary.pid()));
            awaitSettled();
            processes.stop(primary);
            Stats total = finalStats(logs.resolve("primary.log"));
            processes.stop(nginx);
            long requests = Math.max(1, measured.requests());
            Map<String, Double> byGroup = new LinkedHashMap<>();
            long live = 0;
            for (String group : GROUPS) {
                long ticks = threadsAfter.getOrDefault(group, 0L) - threadsBefore.getOrDefault(group, 0L);
                live += ticks;
                byGroup.put(group, micros(ticks) / requests);
            }
            // /proc lists live threads only: what threads that ended meanwhile used is the rest.
            byGroup.put(ENDED, micros(cpuAfter - cpuBefore - live) / requests);
            Path access = logs.resolve("nginx-access.log");
            return new Run(setup, round, measured, micros(cpuAfter - cpuBefore) / requests, byGroup, window, total,
                    shadowSeen(access), shadowConnections(access), loadBefore, loadAfter, othersCores);
        } finally {
            processes.stop(primary);
            processes.stop(nginx);
        }
    }

    private List<String> primaryCommand(Setup setup) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xms1g", "-Xmx1g"));
        if (setup.client().equals("jdk-cp2")) {
            command.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BakeoffPrimary.class.getName(),
                String.valueOf(PRIMARY_PORT)));
        if (setup.baseline()) {
            command.add("none");
        } else {
            int port = setup.wrongHost() ? WRONG_PORT : setup.tls() ? HTTPS_PORT : HTTP_PORT;
            command.addAll(List.of(setup.client(), setup.transport() + "://127.0.0.1:" + port,
                    String.valueOf(setup.every()), options.tls.resolve("ca.pem").toAbsolutePath().toString()));
        }
        return command;
    }

    /** Puts each primary thread in a group by name: the server's request threads, the client's own, the JVM's. */
    static String group(String thread) {
        String name = thread.toLowerCase(Locale.ROOT);
        if (name.startsWith("qtp")) {
            return "requests"; // the primary's Jetty pool: its selector, acceptor and request threads
        }
        // trafficmirror-io, OkHttp's dispatcher, task
        // runner and Okio's timeout watchdog (dispatcher threads are renamed "OkHttp <url>" while
        // running a call), Jetty's client pool (HttpClient@...),
        // Apache's reactor (httpclient-main, httpclient-dispatch-N), the JDK's (HttpClient-1-...).
        if (name.startsWith("trafficmirror") || name.startsWith("okhttp")
                || name.startsWith("okio") || name.startsWith("httpclient")) {
            return "client";
        }
        if (name.contains("compiler")) {
            return "JIT";
        }
        if (name.startsWith("gc") || name.startsWith("g1")) {
            return "GC";
        }
        return "other";
    }

    private Stats stats() throws Exception {
        HttpResponse<String> response = statsClient.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + PRIMARY_PORT + BakeoffPrimary.STATS_PATH)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        return Stats.parse(response.body());
    }

    /** Waits up to 10 s for every copy to be answered, failed or dropped, so that the counts add up. */
    private void awaitSettled() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !stats().settled()) {
            Thread.sleep(100);
        }
    }

    private static Stats finalStats(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(line -> line.startsWith(BakeoffPrimary.FINAL))
                .map(line -> Stats.parse(line.substring(BakeoffPrimary.FINAL.length())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + BakeoffPrimary.FINAL + " line in " + log));
    }

    /** nginx's access log ({@code port protocol status connection}) counted by {@code port protocol status}. */
    private static Map<String, Long> shadowSeen(Path log) throws IOException {
        if (!Files.exists(log)) {
            return Map.of();
        }
        try (var lines = Files.lines(log)) {
            return lines.collect(Collectors.groupingBy(line -> line.substring(0, line.lastIndexOf(' ')), TreeMap::new,
                    Collectors.counting()));
        }
    }

    /** How many connections the logged copies came on: 16 at most when keep-alive works. */
    private static long shadowConnections(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.map(line -> line.substring(line.lastIndexOf(' ') + 1)).distinct().count();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private Path nginxConf(Path dir) throws IOException {
        String template;
        try (InputStream in = Objects.requireNonNull(Bakeoff.class.getResourceAsStream("nginx-shadow.conf"),
                "nginx-shadow.conf")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path temp = dir.toAbsolutePath().resolve("nginx-temp");
        Files.createDirectories(temp);
        Path file = dir.toAbsolutePath().resolve("nginx.conf");
        Files.writeString(file, template
                .replace("@DIR@", dir.toAbsolutePath().toString())
                .replace("@TEMP@", temp.toString())
                .replace("@TLS@", options.tls.toAbsolutePath().toString())
                .replace("@HTTP@", String.valueOf(HTTP_PORT))
                .replace("@HTTPS@", String.valueOf(HTTPS_PORT))
                .replace("@WRONG@", String.valueOf(WRONG_PORT)));
        return file;
    }

    /** utime + stime of the whole process so far, in clock ticks (threads that ended included). */
    private static long processTicks(long pid) throws IOException {
        String[] fields = stat(pid);
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Fields of {@code /proc/<pid>/stat} after the name: state first, utime at 11, cutime at 13. */
    private static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** User time of the whole machine so far (user + nice of {@code /proc/stat}), in clock ticks. */
    private static long machineUserTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        return Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]);
    }

    /**
     * User time of everything this benchmark runs: the primary, nginx and its worker, this JVM and
     * its children that ended (wrk, once waited for, is in its cutime). User time only, because
     * the kernel's network work for loopback is not charged to any one process.
     */
    private static long oursUserTicks(Process primary, Process nginx) throws IOException {
        String[] self = stat(ProcessHandle.current().pid());
        long ticks = Long.parseLong(self[11]) + Long.parseLong(self[13]) + Long.parseLong(stat(primary.pid())[11]);
        for (ProcessHandle process : nginx.toHandle().descendants().toList()) {
            ticks += userTicks(process.pid());
        }
        ticks += userTicks(nginx.pid());
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            if (child.pid() != primary.pid() && child.pid() != nginx.pid()) {
                ticks += userTicks(child.pid()); // wrk while it runs
            }
        }
        return ticks;
    }

    private static long userTicks(long pid) {
        try {
            return Long.parseLong(stat(pid)[11]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static double micros(long ticks) {
        return ticks / ThreadCpu.TICKS_PER_SECOND * 1e6;
    }

    /** Every thread of the primary with its group, for the logs: what the grouping saw. */
    private static String threadNames(long pid) throws IOException {
        StringBuilder text = new StringBuilder();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.sorted().toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    text.append(group(name)).append('\t').append(name).append('\n');
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return text.toString();
    }

    // ---- the report ----

    /** The run without copies of the same round and transport. */
    private static Run baseline(List<Run> runs, Run run) {
        return runs.stream().filter(r -> r.round() == run.round() && r.setup().tls() == run.setup().tls()
                && r.setup().baseline()).findFirst().orElseThrow();
    }

    /** Primary CPU per copy: its CPU per request above the run without copies, over the share copied. */
    private static double perCopy(Run run, Run base) {
        return run.setup().baseline() ? Double.NaN : (run.cpuMicros() - base.cpuMicros()) * run.setup().every();
    }

    /** The extra CPU of the measured duration over the copies that completed in it. */
    private static double perCompletedCopy(Run run, Run base) {
        return (run.cpuMicros() - base.cpuMicros()) * run.wrk().requests() / Math.max(1, run.window().completed());
    }

    /**
     * CPU per copy leaving out the JIT: its threads' time is spread over however many requests a run
     * served, and is a warm-up cost, not a copy's.
     */
    private static double perCopyWithoutJit(Run run, Run base) {
        return (run.cpuMicros() - run.groupMicros().get("JIT") - base.cpuMicros() + base.groupMicros().get("JIT"))
                * run.setup().every();
    }

    /**
     * What the client's own threads (and threads that ended, the JDK's one per copy) used per copy
     * completed: no subtraction of another run, so steadier than the totals when the machine is noisy.
     */
    private static double clientPerCompletedCopy(Run run) {
        return (run.groupMicros().get("client") + run.groupMicros().get(ENDED)) * run.wrk().requests()
                / Math.max(1, run.window().completed());
    }

    private static String groups(Run run) {
        return run.groupMicros().entrySet().stream()
                .map(e -> e.getKey() + String.format(Locale.ROOT, " %.1f", e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** Per setup, the median over rounds of each number, with the spread (lowest to highest) where it matters. */
    private String summary(List<Run> runs) {
        StringBuilder text = new StringBuilder();
        text.append("## Results (median of ").append(options.rounds).append(options.rounds == 1 ? " round" : " rounds")
                .append("; [lowest–highest] over rounds)\n\n");
        text.append("CPU in µs of the primary's process per request served; by thread group: requests = the"
                + " primary's Jetty pool (where the copy is made and handed over), client = the client's own threads"
                + " (I/O, selector, dispatcher, senders), JIT + GC, other, ended = threads that ended during the measured"
                + " duration (/proc no longer lists them). CPU per copy = (CPU/req − CPU/req of the"
                + " run without copies, same round and transport) / share copied; without JIT = the same leaving out"
                + " the JIT threads on both sides; per completed copy = the extra CPU over the copies that completed"
                + " (higher when copies were dropped); client threads per completed copy = client + ended over the"
                + " copies completed, no subtraction. Copies: completed / failed / dropped in the measured windows,"
                + " all rounds added up.\n\n");
        text.append("| transport | copied | client | req/s | kept vs no copies | CPU/req | requests | client | JIT+GC | other"
                + " | ended | CPU per copy | without JIT | per completed copy | client threads per completed copy"
                + " | copies (measured) | primary errors |\n");
        text.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<Setup, List<Run>> bySetup = new LinkedHashMap<>();
        for (Setup setup : order(1)) {
            bySetup.put(setup, new ArrayList<>());
        }
        runs.forEach(run -> bySetup.get(run.setup()).add(run));
        for (Map.Entry<Setup, List<Run>> entry : bySetup.entrySet()) {
            Setup setup = entry.getKey();
            List<Run> these = entry.getValue();
            if (these.isEmpty()) {
                continue;
            }
            List<Double> kept = these.stream().map(r -> r.rps() / baseline(runs, r).rps()).toList();
            List<Double> perCopy = these.stream().map(r -> perCopy(r, baseline(runs, r))).toList();
            text.append("| ").append(setup.transport()).append(" | ").append(setup.share()).append(" | ")
                    .append(setup.baseline() ? "**no copies**" : setup.client())
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f", median(these, Run::rps)))
                    .append(" | ").append(setup.baseline() ? "1" : ratio(kept))
                    .append(" | ").append(format(median(these, Run::cpuMicros)))
                    .append(" | ").append(format(median(these, r -> r.groupMicros().get("requests"))))
                    .append(" | ").append(format(median(these, r -> r.groupMicros().get("client"))))
                    .append(" | ").append(format(median(these, r -> r.groupMicros().get("JIT") + r.groupMicros().get("GC"))))
                    .append(" | ").append(format(median(these, r -> r.groupMicros().get("other"))))
                    .append(" | ").append(format(median(these, r -> r.groupMicros().get(ENDED))))
                    .append(" | ").append(setup.baseline() ? "-" : spread(perCopy, "%.1f"))
                    .append(" | ").append(setup.baseline() ? "-" : spread(these.stream()
                            .map(r -> perCopyWithoutJit(r, baseline(runs, r))).toList(), "%.1f"))
                    .append(" | ").append(setup.baseline() ? "-" : format(median(these, r -> perCompletedCopy(r, baseline(runs, r)))))
                    .append(" | ").append(setup.baseline() ? "-" : spread(these.stream()
                            .map(Bakeoff::clientPerCompletedCopy).toList(), "%.1f"))
                    .append(" | ").append(setup.baseline() ? "-" : these.stream().mapToLong(r -> r.window().completed()).sum()
                            + " / " + these.stream().mapToLong(r -> r.window().failed()).sum()
                            + " / " + these.stream().mapToLong(r -> r.window().dropped()).sum())
                    .append(" | ").append(these.stream().mapToLong(r -> r.wrk().errors()).sum())
                    .append(" |\n");
        }
        return text.toString();
    }

    /** Per run: the copies add up, and nginx saw as many as the client says completed, over TLS for https. */
    private static String checks(List<Run> runs) {
        StringBuilder text = new StringBuilder("## Checks, per run (whole run: warm-up, measured, drain)\n\n");
        int bad = 0;
        StringBuilder rows = new StringBuilder();
        for (Run run : runs) {
            if (run.setup().baseline()) {
                continue;
            }
            Stats total = run.total();
            long seen = run.shadowSeen().values().stream().mapToLong(Long::longValue).sum();
            String expected = (run.setup().tls() ? HTTPS_PORT + " TLSv1." : HTTP_PORT + " - ");
            long seenRight = run.shadowSeen().entrySet().stream().filter(e -> e.getKey().startsWith(expected)
                    && e.getKey().endsWith(" 200")).mapToLong(Map.Entry::getValue).sum();
            boolean ok = total.sampled() == total.completed() + total.failed() + total.dropped()
                    && seen == total.completed() && seenRight == seen && run.wrk().errors() == 0
                    && run.connections() <= CopySender.MAX_IN_FLIGHT;
            if (!ok) {
                bad++;
            }
            rows.append("| ").append(run.round()).append(" | ").append(run.setup().name()).append(" | ")
                    .append(total.sampled()).append(" | ").append(total.completed()).append(" / ").append(total.failed())
                    .append(" / ").append(total.dropped()).append(" | ").append(run.shadowSeen()).append(" | ")
                    .append(run.connections()).append(" | ").append(ok ? "ok" : "**MISMATCH**").append(" | ")
                    .append(total.failure().replace("|", "\\|")).append(" |\n");
        }
        text.append(bad == 0 ? "Every run: each sampled copy completed, failed or dropped; nginx logged exactly the"
                + " completed ones, on the right listener, with a TLS protocol for https, on at most 16 (keep-alive)"
                + " connections; no primary errors.\n\n"
                : "**" + bad + " run(s) do not add up; see below.**\n\n");
        text.append("<details><summary>per run</summary>\n\n| round | setup | sampled | completed / failed / dropped"
                + " | nginx saw (port protocol status: count) | connections | | failures |\n"
                + "|---:|---|---:|---|---|---:|---|---|\n")
                .append(rows)
                .append("\n</details>\n");
        return text.toString();
    }

    private static String verificationTable(List<Run> runs) {
        StringBuilder text = new StringBuilder("## TLS hostname verification: a shadow whose certificate (same CA) names"
                + " only wrong.example, reached at 127.0.0.1\n\n"
                + "wrk -t1 -c4 -d3s, every request copied. Every copy must fail and nginx must log none.\n\n"
                + "| client | sampled | completed | failed | dropped | nginx logged | verdict | first failure |\n"
                + "|---|---:|---:|---:|---:|---:|---|---|\n");
        for (Run run : runs) {
            Stats total = run.total();
            long seen = run.shadowSeen().values().stream().mapToLong(Long::longValue).sum();
            boolean ok = total.completed() == 0 && total.failed() > 0 && seen == 0;
            text.append("| ").append(run.setup().client()).append(" | ").append(total.sampled()).append(" | ")
                    .append(total.completed()).append(" | ").append(total.failed()).append(" | ").append(total.dropped())
                    .append(" | ").append(seen).append(" | ").append(ok ? "refused, verification on" : "**NOT REFUSED**")
                    .append(" | ").append(total.failure().replace("|", "\\|")).append(" |\n");
        }
        return text.toString();
    }

    private static String perRun(List<Run> runs) {
        StringBuilder text = new StringBuilder("## Every run\n\n<details><summary>per run</summary>\n\n"
                + "| round | setup | load avg before → after | others' CPU (cores) | req/s | kept | CPU/req | by group"
                + " | CPU/copy | copies in window (c/f/d) |\n|---:|---|---|---:|---:|---:|---:|---|---:|---|\n");
        for (Run run : runs) {
            Run base = baseline(runs, run);
            text.append("| ").append(run.round()).append(" | ").append(run.setup().name()).append(" | ")
                    .append(run.loadBefore()).append(" → ").append(run.loadAfter()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f | %,.0f | %.3f | %.1f", run.othersCores(), run.rps(),
                            run.rps() / base.rps(), run.cpuMicros()))
                    .append(" | ").append(groups(run)).append(" | ").append(format(perCopy(run, base))).append(" | ")
                    .append(run.window().completed()).append('/').append(run.window().failed()).append('/')
                    .append(run.window().dropped()).append(" |\n");
        }
        return text.append("\n</details>\n").toString();
    }

    /** Every run's numbers, one line each, to look at them again without running again. */
    private static String csv(List<Run> runs) {
        StringBuilder text = new StringBuilder("round,setup,client,transport,every,rps,requests,errors,cpu_us_per_req,"
                + String.join(",", GROUPS.stream().map(g -> g + "_us_per_req").toList()) + ",ended_us_per_req,"
                + "completed,failed,dropped,total_sampled,total_completed,total_failed,total_dropped,shadow_logged,"
                + "connections,others_cores,load_before\n");
        for (Run run : runs) {
            text.append(run.round()).append(',').append(run.setup().name()).append(',').append(run.setup().client())
                    .append(',').append(run.setup().transport()).append(',').append(run.setup().every()).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", run.rps())).append(',').append(run.wrk().requests())
                    .append(',').append(run.wrk().errors()).append(',').append(format(run.cpuMicros()));
            for (String group : GROUPS) {
                text.append(',').append(format(run.groupMicros().get(group)));
            }
            text.append(',').append(format(run.groupMicros().get(ENDED))).append(',').append(run.window().completed())
                    .append(',').append(run.window().failed()).append(',').append(run.window().dropped()).append(',')
                    .append(run.total().sampled()).append(',').append(run.total().completed()).append(',')
                    .append(run.total().failed()).append(',').append(run.total().dropped()).append(',')
                    .append(run.shadowSeen().values().stream().mapToLong(Long::longValue).sum()).append(',')
                    .append(run.connections()).append(',').append(String.format(Locale.ROOT, "%.2f", run.othersCores()))
                    .append(',').append(run.loadBefore().split(" ")[0]).append('\n');
        }
        return text.toString();
    }

    private static String loadRange(List<Run> runs) {
        double[] loads = runs.stream().flatMap(r -> List.of(r.loadBefore(), r.loadAfter()).stream())
                .filter(l -> !l.equals("?")).mapToDouble(l -> Double.parseDouble(l.split(" ")[0])).sorted().toArray();
        return loads.length == 0 ? "?" : String.format(Locale.ROOT, "%.2f to %.2f, median %.2f", loads[0],
                loads[loads.length - 1], loads[loads.length / 2]);
    }

    private static String othersRange(List<Run> runs) {
        List<Double> others = runs.stream().map(Run::othersCores).toList();
        return others.isEmpty() ? "?" : String.format(Locale.ROOT, "median %.2f, highest %.2f", median(others),
                others.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        return median(runs.stream().mapToDouble(value).boxed().toList());
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String ratio(List<Double> values) {
        return spread(values, "%.3f");
    }

    private static String spread(List<Double> values, String format) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String median = String.format(Locale.ROOT, format, median(values));
        return sorted.length == 1 ? median : median + " [" + String.format(Locale.ROOT, format, sorted[0]) + "–"
                + String.format(Locale.ROOT, format, sorted[sorted.length - 1]) + "]";
    }

    private static String format(double micros) {
        return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.1f", micros);
    }

    private String environment() {
        StringBuilder text = new StringBuilder();
        text.append("# Send-path bake-off, ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE))
                .append("\n\n");
        text.append(LocalProcesses.machineAndJava()).append("; ").append(version(List.of(options.nginx, "-v"))).append("; ")
                .append(version(List.of("openssl", "version"))).append('\n');
        text.append("- clients: ").append(jars("mirror-core", "jetty-client", "httpclient5", "httpcore5", "okhttp-jvm"))
                .append(", java.net.http of the JDK\n");
        text.append("- ").append(options.rounds == 1 ? "one run per setup"
                : "each setup run " + options.rounds + " times, interleaved, the clients' order rotated each round")
                .append("; each run a fresh primary JVM (-Xms1g -Xmx1g) and a fresh nginx (1 worker)\n");
        text.append("- load: wrk -t2 -c16 -d").append(options.duration).append(" (after a ").append(options.warmup)
                .append(" warm-up), GET ").append(PATH).append(", keep-alive, all on 127.0.0.1; copies: every request")
                .append(" (100 %) or every 10th (10 %), exact counter\n");
        return text.toString();
    }

    /** The versions of these artifacts on the class path, from their jar names. */
    private static String jars(String... artifacts) {
        List<String> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String jar = Path.of(entry).getFileName().toString();
            for (String artifact : artifacts) {
                if (jar.matches(Pattern.quote(artifact) + "-\\d.*\\.jar")) {
                    found.add(jar.substring(0, jar.length() - 4));
                }
            }
        }
        return found.isEmpty() ? "?" : String.join(", ", found);
    }

    /** Command-line options. */
    private static final class Options {
        String duration = "10s";
        String warmup = "15s";
        int rounds = 1;
        List<String> clients = CLIENTS;
        String nginx = "nginx";
        Path tls;
        Path work = Path.of("mirror-benchmarks", "target", "bakeoff");

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--duration" -> options.duration = duration(value, "--duration");
                    case "--warmup" -> options.warmup = duration(value, "--warmup");
                    case "--rounds" -> options.rounds = positive(value, "--rounds");
                    case "--only" -> {
                        List<String> only = Arrays.asList(String.valueOf(value).split(","));
                        List<String> known = new ArrayList<>(CLIENTS);
                        known.addAll(EXTRA);
                        if (!known.containsAll(only)) {
                            throw new IllegalArgumentException("--only takes some of " + known + ", was " + value);
                        }
                        options.clients = known.stream().filter(only::contains).toList();
                    }
                    case "--nginx" -> options.nginx = Objects.requireNonNull(value, "--nginx needs a path");
                    case "--tls" -> options.tls = Path.of(Objects.requireNonNull(value, "--tls needs a directory"));
                    case "--work" -> options.work = Path.of(Objects.requireNonNull(value, "--work needs a directory"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; accepted: --duration 10s, --warmup 15s, --rounds 1, --only jetty,okhttp,"
                            + " --nginx <path>, --tls <dir>, --work <dir>");
                }
                i++;
            }
            Objects.requireNonNull(options.tls, "--tls <dir> is required (run-bakeoff.sh makes it)");
            return options;
        }

    }
}
