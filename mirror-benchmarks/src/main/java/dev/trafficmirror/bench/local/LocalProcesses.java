package dev.trafficmirror.bench.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The processes a load benchmark starts on this machine (servers, nginx, wrk), each with its output
 * in a file, all stopped at the end: the end-to-end benchmark's and the bake-off's. Servers listen
 * on 127.0.0.1 only.
 */
public final class LocalProcesses {

    private final List<Process> running = new CopyOnWriteArrayList<>();

    /** Starts {@code command}, its output and errors going to {@code output}. */
    public Process start(List<String> command, Path output) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        running.add(process);
        return process;
    }

    /** Starts a Java class in a JVM of its own, on this JVM's class path. */
    public Process java(Class<?> main, List<String> jvmOptions, List<String> args, Path output) throws IOException {
        return java(main.getName(), jvmOptions, args, output);
    }

    /**
     * Starts a Java class by name in a JVM of its own, on this JVM's class path: for a class that
     * is only on the run-time class path, such as Kafka's broker.
     */
    public Process java(String mainClass, List<String> jvmOptions, List<String> args, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return start(command, output);
    }

    /** Runs {@code wrk} against {@code url} and returns what it printed; fails when wrk does. */
    public String wrk(String url, String duration, int threads, int connections, Path output) throws Exception {
        Process wrk = start(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration, "--latency", url), output);
        if (!wrk.waitFor(Wrk.seconds(duration) + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("wrk did not finish; see " + output);
        }
        running.remove(wrk);
        String text = Files.readString(output);
        if (wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed (" + wrk.exitValue() + "): " + text);
        }
        return text;
    }

    /** Stops a process this started: SIGTERM, then SIGKILL after 15 s. */
    public void stop(Process process) {
        if (process == null || !running.contains(process)) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.remove(process);
    }

    /** Stops every process still running; for a shutdown hook. */
    public void stopAll() {
        running.forEach(this::stop);
    }

    /** Waits up to 30 s for something to listen on 127.0.0.1:{@code port}, failing if the process exits first. */
    public static void awaitPort(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process for port " + port + " exited: " + Files.readString(log));
            }
            if (listening(port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("nothing listens on " + port + " after 30 s; see " + log);
    }

    /** Fails when something already listens on 127.0.0.1:{@code port}. */
    public static void requireFree(int port) {
        if (listening(port)) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use; stop what listens there");
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The machine's load averages (1, 5 and 15 minutes), or "?". */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * The first two lines of a results file's environment, as markdown items: the machine (cores,
     * system, load average now) and the Java and wrk versions, the latter without a line end.
     */
    public static String machineAndJava() {
        return "- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + ' ' + System.getProperty("os.version") + ", load average at start " + loadAverage() + '\n'
                + "- Java " + System.getProperty("java.version") + "; " + version(List.of("wrk", "-v"));
    }

    /** The first line a tool prints about its version ({@code wrk -v}, {@code nginx -v}). */
    public static String version(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("?").trim();
        } catch (IOException e) {
            return command.get(0) + " not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** A wrk duration option's value (10s, 1m), checked. */
    public static String duration(String value, String name) {
        if (value == null || !value.matches("\\d+[smh]?")) {
            throw new IllegalArgumentException(name + " takes a wrk duration such as 10s or 1m, was " + value);
        }
        return value;
    }

    /** A positive whole-number option's value, checked. */
    public static int positive(String value, String name) {
        try {
            int number = Integer.parseInt(String.valueOf(value));
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes a positive whole number, was " + value);
    }
}
