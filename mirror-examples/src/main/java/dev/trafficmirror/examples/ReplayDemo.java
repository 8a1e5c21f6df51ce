package dev.trafficmirror.examples;

import dev.trafficmirror.replay.Replay;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's second half, {@code --replay FILE}: no v1 and no users, only what {@code --record FILE}
 * kept of them. reviews-v2 and the control (v1's code again) are started, and mirror-replay sends
 * the recorded exchanges to v2, comparing each answer with what v1 answered when it was recorded;
 * the control's answers tell the noise ({@code servedAt}) apart, as in the live demo.
 */
final class ReplayDemo {

    /** How much faster than recorded the replay goes: the 30 s recording in 3 s. */
    static final String SPEED = "10x";

    private ReplayDemo() {
    }

    /** Replays the recording; returns the tool's exit code. */
    static int run(DemoOptions options, PrintStream out, PrintStream err) throws Exception {
        Path report = replayReport(options.report());
        try (ReviewsService v2 = ReviewsService.start(ReviewsService.Version.V2, ReviewsDemo.TARGET, null, entry -> { });
                ReviewsService control = ReviewsService.start(ReviewsService.Version.V1, ReviewsDemo.CONTROL, null,
                        entry -> { })) {
            List<String> args = List.of("--from", options.replay().toString(), "--to", v2.url(),
                    "--name", ReviewsDemo.TARGET, "--control", control.url(), "--speed", SPEED,
                    "--report", report.toString());
            out.println("trafficmirror demo: the recording replayed against reviews-v2, no v1 running");
            out.printf("  reviews-v2          %s  gets the recorded requests; answers compared with v1's, as recorded%n",
                    v2.url());
            out.printf("  %s  %s  v1's code again, the control: tells noise apart%n", ReviewsDemo.CONTROL,
                    control.url());
            out.println("  the same as: java -jar mirror-replay/target/mirror-replay-<version>.jar "
                    + String.join(" ", args));
            out.println();
            return Replay.run(out, err, args.toArray(String[]::new));
        }
    }

    /** The replay's report beside the demo's: reviews-replay-report.html. */
    static Path replayReport(Path demoReport) {
        Path absolute = demoReport.toAbsolutePath();
        return absolute.resolveSibling("reviews-replay-report.html");
    }
}
