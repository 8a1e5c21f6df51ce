package dev.trafficmirror.replay;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replay tool's command line, parsed and checked: every mistake is a {@link UsageException}
 * naming the flag and what it takes.
 *
 * @param from the recording: a {@code kafka://} URL, or its files' paths, oldest first
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
 * @param group the Kafka consumer group whose replayers share the topic, or {@code null} to read it alone
 * @param follow whether a Kafka topic is read on as records arrive, until interrupted
 * @param kafkaProperties Kafka consumer settings
 */
record ReplayOptions(List<String> from, String to, String name, Pace pace, boolean compare, boolean failOnMismatch,
        String control, List<String> ignorePaths, List<String> ignoreHeaders, Path report, boolean loop,
        boolean dryRun, int concurrency, Boolean progress, String group, boolean follow,
        Map<String, String> kafkaProperties) {

    static final String USAGE = String.join("\n",
            "usage: java -jar mirror-replay.jar --from FILE|kafka://host:port/topic --to URL [options]",
            "  --from FILE [FILE...]  the recording (trafficmirror-har/1, one HAR entry per line); a rotated",
            "                         one oldest first: --from traffic*.jsonl",
            "  --from kafka://host:9092/topic   the topic a kafka:// target recorded to, up to its end",
            "  --to URL               the version to replay against: http://host:port[/base]",
            "pace (one of; default --speed 1x, the recorded pace, for a file, and --max for a topic):",
            "  --speed 2x             the recorded timestamps, 2 times faster (0.5x slower); a file only",
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
            "  --loop                 replay the file again and again until Ctrl-C",
            "  --dry-run              read and check the recording, send nothing, say what would be sent",
            "  --progress, --no-progress   progress on stderr (default: only on a terminal)",
            "kafka:",
            "  --group ID             read in this consumer group: its replayers share the partitions, each",
            "                         from where the group left off; a record is committed once it is sent",
            "  --follow               go on reading as records arrive, until Ctrl-C",
            "  --kafka-property k=v   a Kafka consumer setting, e.g. security.protocol=SSL (repeatable)",
            "exit codes: 0 done; 1 answers differ (--fail-on-mismatch); 2 bad arguments;",
            "  3 the recording cannot be read; 4 incomplete: unreadable lines or copies not answered;",
            "  130 interrupted (Ctrl-C), after the summary so far");

    private static final Pattern SPEED = Pattern.compile("(\\d{1,6}(?:\\.\\d{1,6})?)x?");
    private static final Pattern RATE = Pattern.compile("(\\d{1,7}(?:\\.\\d{1,6})?)/s");

    ReplayOptions {
        from = List.copyOf(from);
        ignorePaths = List.copyOf(ignorePaths);
        ignoreHeaders = List.copyOf(ignoreHeaders);
        kafkaProperties = Map.copyOf(kafkaProperties);
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
        List<String> from = new ArrayList<>();
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
        String group = null;
        boolean follow = false;
        Map<String, String> kafkaProperties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--from" -> {
                    from.add(value(args, ++i, flag, "the recording's path, or a kafka://host:port/topic URL"));
                    // A shell's traffic*.jsonl: the files of a rotated recording, which sort oldest first.
                    while (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                        from.add(args[++i]);
                    }
                }
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
                case "--group" -> group = value(args, ++i, flag, "a consumer group's id");
                case "--follow" -> follow = true;
                case "--kafka-property" -> property(value(args, ++i, flag, "a consumer setting as name=value"),
                        kafkaProperties);
                case "--help", "-h" -> throw new UsageException("");
                default -> throw new UsageException("unknown flag '" + flag + "'");
            }
        }
        if (from.isEmpty()) {
            throw new UsageException("--from FILE or --from kafka://host:port/topic is required");
        }
        boolean kafka = from.stream().anyMatch(ReplayOptions::isKafka);
        if (kafka && from.size() > 1) {
            throw new UsageException("--from takes one kafka://host:port/topic, or files; was " + String.join(" ", from));
        }
        if (kafka) {
            if (loop) {
                throw new UsageException("--loop replays a file again and again; a topic is read to its end, or,"
                        + " with --follow, on as records arrive");
            }
            if (pace instanceof Pace.Speed) {
                throw new UsageException("--speed keeps the recorded pace, which needs the recorded order: a file's."
                        + " A topic's partitions are read side by side; use --rate or --max");
            }
            if (follow && dryRun) {
                throw new UsageException("--follow and --dry-run do not go together: a dry run reads to the end");
            }
        } else {
            for (String file : from) {
                try {
                    Path.of(file);
                } catch (java.nio.file.InvalidPathException e) {
                    throw new UsageException("--from takes a file's path or a kafka://host:port/topic URL; was " + file);
                }
            }
            for (String only : new String[] {group == null ? null : "--group", follow ? "--follow" : null,
                    kafkaProperties.isEmpty() ? null : "--kafka-property"}) {
                if (only != null) {
                    throw new UsageException(only + " is for reading a Kafka topic (--from kafka://host:port/topic);"
                            + " --from is a file");
                }
            }
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
        if (pace == null) {
            pace = kafka ? new Pace.Max() : new Pace.Speed(1);
        }
        return new ReplayOptions(from, to, name, pace, compare, failOnMismatch, control, ignorePaths, ignoreHeaders,
                report, loop, dryRun, concurrency, progress, group, follow, kafkaProperties);
    }

    private static boolean isKafka(String from) {
        return from.regionMatches(true, 0, "kafka://", 0, "kafka://".length());
    }

    /** Whether the records come from a Kafka topic rather than files. */
    boolean fromKafka() {
        return isKafka(from.get(0));
    }

    /** The {@code kafka://} URL; only when {@link #fromKafka()}. */
    String kafkaUrl() {
        return from.get(0);
    }

    /** The recording's files, oldest first; only when not {@link #fromKafka()}. */
    List<Path> files() {
        return from.stream().map(Path::of).toList();
    }

    /** The recording as given, for the summary: a URL, a file, or the first and last of several files. */
    String fromText() {
        return from.size() == 1 ? from.get(0)
                : from.get(0) + " ... " + from.get(from.size() - 1) + " (" + from.size() + " files)";
    }

    /** The recording's short name, for titles: the topic's, or the (first) file's name. */
    String fromName() {
        if (fromKafka()) {
            return from.get(0).substring(from.get(0).lastIndexOf('/') + 1);
        }
        String first = String.valueOf(Path.of(from.get(0)).getFileName());
        return from.size() == 1 ? first : first + " and " + (from.size() - 1) + " more";
    }

    /** What one of the recording's items is called: a file's line, a topic's message. */
    String item() {
        return fromKafka() ? "message" : "line";
    }

    private static void property(String value, Map<String, String> properties) {
        int equals = value.indexOf('=');
        if (equals <= 0) {
            throw new UsageException("--kafka-property takes a consumer setting as name=value, such as"
                    + " security.protocol=SSL; was " + value);
        }
        properties.put(value.substring(0, equals).trim(), value.substring(equals + 1));
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
