package dev.trafficmirror.replay;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replay tool's command line, parsed and checked: every mistake is a {@link UsageException}
 * naming the flag and what it takes.
 *
 * @param from the recording
 * @param to the shadow to replay against; {@code null} only for a dry run
 * @param name the target's name in the summary, the report and the meters; {@code null} for host:port
 * @param pace how fast the records are sent
 * @param compare whether each answer is compared with the recorded primary answer
 * @param failOnMismatch whether answers that differ make the exit code 1 (implies {@code compare})
 * @param control a target running the primary's own version, whose differences are noise; or {@code null}
 * @param ignorePaths JSON paths left out of the comparison
 * @param ignoreHeaders headers left out of the comparison, on top of the defaults
 * @param report where the HTML report goes, or {@code null} for none
 * @param loop whether the recording is replayed again and again, until interrupted
 * @param dryRun whether the recording is only read and checked, nothing sent
 * @param concurrency copies in flight at once (the target's {@code maxConcurrent})
 * @param progress whether progress is shown: {@code null} when on a terminal only
 */
record ReplayOptions(Path from, String to, String name, Pace pace, boolean compare, boolean failOnMismatch,
        String control, List<String> ignorePaths, List<String> ignoreHeaders, Path report, boolean loop,
        boolean dryRun, int concurrency, Boolean progress) {

    static final String USAGE = String.join("\n",
            "usage: java -jar mirror-replay.jar --from FILE --to URL [options]",
            "  --from FILE            the recording (trafficmirror-har/1, one HAR entry per line)",
            "  --to URL               the version to replay against: http://host:port[/base]",
            "pace (one of; default --speed 1x, the recorded pace):",
            "  --speed 2x             the recorded timestamps, 2 times faster (0.5x slower)",
            "  --rate 100/s           a fixed rate",
            "  --max                  as fast as the shadow answers, --concurrency copies in flight",
            "comparing:",
            "  --compare              compare each answer with the recorded primary answer",
            "  --fail-on-mismatch     exit 1 when answers differ beyond noise (implies --compare)",
            "  --control URL          also replay to the primary's own version: where it differs is noise",
            "  --ignore-path $.a.b    leave a JSON field out of the comparison (repeatable)",
            "  --ignore-header NAME   leave a header out of the comparison (repeatable)",
            "  --report FILE.html     write the HTML report",
            "other:",
            "  --name NAME            the target's name in the summary and report (default host:port)",
            "  --concurrency 16       copies in flight at once (1-1024)",
            "  --loop                 replay the recording again and again until Ctrl-C",
            "  --dry-run              read and check the recording, send nothing, say what would be sent",
            "  --progress, --no-progress   progress on stderr (default: only on a terminal)",
            "exit codes: 0 done; 1 answers differ (--fail-on-mismatch); 2 bad arguments;",
            "  3 the recording cannot be read; 4 incomplete: unreadable lines or copies not answered;",
            "  130 interrupted (Ctrl-C), after the summary so far");

    private static final Pattern SPEED = Pattern.compile("(\\d{1,6}(?:\\.\\d{1,6})?)x?");
    private static final Pattern RATE = Pattern.compile("(\\d{1,7}(?:\\.\\d{1,6})?)/s");

    ReplayOptions {
        ignorePaths = List.copyOf(ignorePaths);
        ignoreHeaders = List.copyOf(ignoreHeaders);
    }

    /** How fast the records are sent. */
    sealed interface Pace {

        /** The recorded timestamps, scaled: {@code factor} 2 is twice as fast. */
        record Speed(double factor) implements Pace {
        }

        /** A fixed number of records per second. */
        record Rate(double perSecond) implements Pace {
        }

        /** As fast as the bounds allow. */
        record Max() implements Pace {
        }
    }

    /** A command line that cannot be run, with what is wrong. */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** @throws UsageException naming the flag and what it accepts */
    static ReplayOptions parse(String... args) {
        Path from = null;
        String to = null;
        String name = null;
        Pace pace = null;
        String paceFlag = null;
        boolean compare = false;
        boolean failOnMismatch = false;
        String control = null;
        List<String> ignorePaths = new ArrayList<>();
        List<String> ignoreHeaders = new ArrayList<>();
        Path report = null;
        boolean loop = false;
        boolean dryRun = false;
        int concurrency = 16;
        Boolean progress = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--from" -> from = Path.of(value(args, ++i, flag, "the recording's path"));
                case "--to" -> to = url(value(args, ++i, flag, "the URL to replay against"), flag);
                case "--name" -> name = value(args, ++i, flag, "the target's name");
                case "--speed", "--rate", "--max" -> {
                    if (paceFlag != null) {
                        throw new UsageException(paceFlag + " and " + flag + " are both given; choose one of --speed,"
                                + " --rate and --max");
                    }
                    paceFlag = flag;
                    pace = switch (flag) {
                        case "--speed" -> speed(value(args, ++i, flag, "a factor such as 2x or 0.5x"));
                        case "--rate" -> rate(value(args, ++i, flag, "records per second such as 100/s"));
                        default -> new Pace.Max();
                    };
                }
                case "--compare" -> compare = true;
                case "--fail-on-mismatch" -> failOnMismatch = true;
                case "--control" -> control = url(value(args, ++i, flag, "the URL of the primary's own version"), flag);
                case "--ignore-path" -> ignorePaths.add(value(args, ++i, flag, "a JSON path such as $.servedAt"));
                case "--ignore-header" -> ignoreHeaders.add(value(args, ++i, flag, "a header name"));
                case "--report" -> report = Path.of(value(args, ++i, flag, "the path of the HTML file to write"));
                case "--loop" -> loop = true;
                case "--dry-run" -> dryRun = true;
                case "--concurrency" -> concurrency = concurrency(value(args, ++i, flag, "a number from 1 to 1024"));
                case "--progress" -> progress = true;
                case "--no-progress" -> progress = false;
                case "--help", "-h" -> throw new UsageException("");
                default -> throw new UsageException("unknown flag '" + flag + "'");
            }
        }
        if (from == null) {
            throw new UsageException("--from FILE is required");
        }
        if (to == null && !dryRun) {
            throw new UsageException("--to URL is required");
        }
        if (loop && dryRun) {
            throw new UsageException("--loop and --dry-run do not go together: a dry run reads the recording once");
        }
        compare |= failOnMismatch || control != null;
        if (!compare && (!ignorePaths.isEmpty() || !ignoreHeaders.isEmpty())) {
            throw new UsageException("--ignore-path and --ignore-header need --compare");
        }
        return new ReplayOptions(from, to, name, pace == null ? new Pace.Speed(1) : pace, compare, failOnMismatch,
                control, ignorePaths, ignoreHeaders, report, loop, dryRun, concurrency, progress);
    }

    private static String value(String[] args, int at, String flag, String what) {
        if (at >= args.length || args[at].startsWith("--") || args[at].isBlank()) {
            throw new UsageException(flag + " takes " + what);
        }
        return args[at];
    }

    private static String url(String value, String flag) {
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw new UsageException(flag + " takes an http:// or https:// URL; was " + value);
        }
        return value;
    }

    private static Pace speed(String value) {
        Matcher matcher = SPEED.matcher(value);
        double factor = matcher.matches() ? new BigDecimal(matcher.group(1)).doubleValue() : 0;
        if (factor <= 0) {
            throw new UsageException("--speed takes a factor above 0 followed by x, such as 2x or 0.5x; was " + value);
        }
        return new Pace.Speed(factor);
    }

    private static Pace rate(String value) {
        Matcher matcher = RATE.matcher(value);
        double perSecond = matcher.matches() ? new BigDecimal(matcher.group(1)).doubleValue() : 0;
        if (perSecond <= 0) {
            throw new UsageException("--rate takes records per second above 0 followed by /s, such as 100/s; was "
                    + value);
        }
        return new Pace.Rate(perSecond);
    }

    private static int concurrency(String value) {
        if (value.matches("\\d{1,4}")) {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1024) {
                return n;
            }
        }
        throw new UsageException("--concurrency takes a number from 1 to 1024; was " + value);
    }

    /** The pace in words, for the summary: {@code 1x the recorded pace}, {@code 100/s}, {@code as fast as answered}. */
    String paceText() {
        if (pace instanceof Pace.Speed speed) {
            return number(speed.factor()) + "x the recorded pace";
        }
        if (pace instanceof Pace.Rate rate) {
            return number(rate.perSecond()) + "/s";
        }
        return "as fast as answered, " + concurrency + " in flight";
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
