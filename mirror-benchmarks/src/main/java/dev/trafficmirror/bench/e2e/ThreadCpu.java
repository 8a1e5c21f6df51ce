package dev.trafficmirror.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads, summed by what they do, from Linux's {@code /proc/<pid>/task}:
 * so that a benchmark shows where the primary's CPU per request goes (the request threads, the
 * mirror's I/O thread or senders, a recording target's writer thread, the Kafka producer's own
 * thread, the JIT still compiling), not only how much there is. Elsewhere
 * than on Linux it finds nothing. Public for the send-path bake-off, which groups the threads its own way.
 */
public final class ThreadCpu {

    /** What the counts are in: clock ticks per second (USER_HZ on Linux). */
    public static final double TICKS_PER_SECOND = 100;

    private ThreadCpu() {
    }

    /** Clock ticks used so far, by group of threads. */
    static Map<String, Long> of(long pid) {
        return of(pid, ThreadCpu::group);
    }

    /** Clock ticks used so far, by the group that {@code group} puts each thread name in. */
    public static Map<String, Long> of(long pid, UnaryOperator<String> group) {
        Map<String, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the name, which is in parentheses and may hold spaces: state is field 3,
                    // utime and stime fields 14 and 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(group.apply(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /** {@code group 12.3, group 4.5} in microseconds per request, largest first, groups under 0.1 left out. */
    static String perRequest(Map<String, Long> before, Map<String, Long> after, long requests) {
        StringBuilder text = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L))
                        / TICKS_PER_SECOND * 1e6 / Math.max(1, requests)))
                .filter(e -> e.getValue() >= 0.1)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> text.append(text.isEmpty() ? "" : ", ").append(e.getKey())
                        .append(String.format(Locale.ROOT, " %.1f", e.getValue())));
        return text.isEmpty() ? "-" : text.toString();
    }

    // Linux keeps the first 15 characters of a thread's name: "kafka-producer-network-thread | ..."
    // is "kafka-producer-", resilience4j's "bulkhead-trafficmirror-<target>-1" is "bulkhead-traffi".
    private static String group(String threadName) {
        if (threadName.startsWith("qtp")) {
            return "requests";
        }
        if (threadName.startsWith("bulkhead-traffi")) {
            // In the benchmark's primary only a recording target has a bulkhead: its one writer thread.
            return "record writer";
        }
        if (threadName.startsWith("kafka-producer")) {
            return "kafka producer";
        }
        if (threadName.startsWith("trafficmirror-i")) {
            return "mirror I/O";
        }
        if (threadName.startsWith("trafficmirror")) {
            return "mirror senders";
        }
        if (threadName.contains("Compiler")) {
            return "JIT";
        }
        if (threadName.startsWith("GC") || threadName.startsWith("G1")) {
            return "GC";
        }
        return "other";
    }
}
