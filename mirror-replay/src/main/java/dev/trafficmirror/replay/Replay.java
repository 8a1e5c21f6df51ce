package dev.trafficmirror.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The replay tool: sends the exchanges of a recording ({@code trafficmirror-har/1}, written by a
 * {@code file:} target) to a version of the service, through the mirror's own send path and bounds,
 * compares each answer with what the primary answered when it was recorded, prints a summary and
 * writes the report.
 *
 * <pre>
 * java -jar mirror-replay.jar --from traffic.jsonl --to http://localhost:9081 --compare --fail-on-mismatch
 * </pre>
 *
 * <p>Every flag and the exit codes: {@link ReplayOptions#USAGE}, or {@code --help}; docs/replay.md.
 */
public final class Replay {

    /** Done: every line read, every copy answered, and (with {@code --fail-on-mismatch}) no answer differs. */
    public static final int OK = 0;
    /** {@code --fail-on-mismatch}: at least one answer differs from the recorded one beyond noise. */
    public static final int MISMATCH = 1;
    /** The command line is wrong; the usage is printed. */
    public static final int USAGE = 2;
    /** The recording cannot be opened or read. */
    public static final int UNREADABLE_RECORDING = 3;
    /** The rest was replayed, but some lines were no records, or some copies got no answer. */
    public static final int INCOMPLETE = 4;
    /** Interrupted (Ctrl-C): the summary so far is printed. */
    public static final int INTERRUPTED = 130;

    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private Replay() {
    }

    /** Runs the tool and exits with its {@link #OK exit code}. */
    public static void main(String[] args) {
        // The tool prints its own summary: the library's INFO lines (the mirror's configuration) would
        // clutter it; failing copies are still logged at WARN, at most once per target per 10 s.
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "warn");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(args);
        } catch (ReplayOptions.UsageException e) {
            System.exit(usage(e, err));
            return;
        }
        Replayer replayer = new Replayer(options, out, err, System.console() != null);
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: stop sending, let what is in flight settle, print the summary so far, then let the JVM go.
        Thread hook = new Thread(() -> {
            replayer.stop();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mirror-replay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = replayer.run();
        } finally {
            finished.countDown();
        }
        if (!replayer.stopped()) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        out.flush();
        System.exit(code);
    }

    /**
     * Runs the tool in this JVM (for the demo and tests), without a shutdown hook or
     * {@code System.exit}.
     *
     * @return the exit code the tool would exit with
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(args);
        } catch (ReplayOptions.UsageException e) {
            return usage(e, err);
        }
        return new Replayer(options, out, err, false).run();
    }

    private static int usage(ReplayOptions.UsageException e, PrintStream err) {
        if (!e.getMessage().isEmpty()) {
            err.println("mirror-replay: " + e.getMessage());
        }
        err.println(ReplayOptions.USAGE);
        err.flush();
        return USAGE;
    }

    /** Whether {@code file} can be read, or why not. */
    static String unreadable(java.nio.file.Path file) {
        if (!Files.exists(file)) {
            return "no such file: " + file;
        }
        if (Files.isDirectory(file)) {
            return "a directory, not a recording: " + file;
        }
        if (!Files.isReadable(file)) {
            return "cannot read " + file;
        }
        try (var in = Files.newInputStream(file)) {
            return null;
        } catch (IOException e) {
            return "cannot read " + file + ": " + e.getMessage();
        }
    }
}
