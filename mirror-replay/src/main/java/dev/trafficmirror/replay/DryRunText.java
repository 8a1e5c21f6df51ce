package dev.trafficmirror.replay;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.record.RecordedExchange;
import dev.trafficmirror.report.SummaryLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code --dry-run} prints: the recording checked line by line, nothing sent; the first records
 * as they would go out, the methods, and how long the replay would take at the pace chosen.
 */
final class DryRunText {

    static final int SHOWN = 10;

    private final ReplayOptions options;
    private final List<String> shown = new ArrayList<>();
    private final SortedMap<String, Long> methods = new TreeMap<>();
    private Instant first;

    DryRunText(ReplayOptions options) {
        this.options = options;
    }

    void add(RecordSource.Line line) {
        RecordedExchange exchange = line.exchange();
        MirrorRequest request = exchange.request();
        methods.merge(request.method(), 1L, Long::sum);
        if (first == null) {
            first = exchange.receivedAt();
        }
        if (shown.size() < SHOWN) {
            String target = request.path() + (request.query() == null ? "" : "?" + request.query());
            shown.add(String.format(Locale.ROOT, "%s  +%.3f s  %s %s (%d bytes) id=%s, recorded answer %s",
                    line.where(), Duration.between(first, exchange.receivedAt()).toNanos() / 1e9, request.method(),
                    abbreviate(target), request.bodyLength(), exchange.id(),
                    exchange.response().map(r -> String.valueOf(r.status())).orElse("not captured")));
        }
    }

    String render(Replayer replayer) {
        StringBuilder text = new StringBuilder();
        text.append(SummaryLayout.center(" dry run: " + options.fromName() + " ")).append('\n');
        SummaryLayout.line(text, "recording", "%s: %d records in %d %s, %d unreadable", options.fromText(),
                replayer.records(), replayer.lines(), options.item() + "s", replayer.unreadable());
        SummaryLayout.line(text, "", "methods: %s; primary answered (as recorded): %s",
                methods.isEmpty() ? "none" : methods.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                        .collect(Collectors.joining(", ")), SummaryLayout.statuses(replayer.recordedStatuses()));
        String label = "records";
        for (String record : shown) {
            SummaryLayout.line(text, label, "%s", record);
            label = "";
        }
        if (replayer.records() > shown.size()) {
            SummaryLayout.line(text, "", "... and %d more", replayer.records() - shown.size());
        }
        label = "unreadable";
        for (String problem : replayer.namedUnreadable()) {
            SummaryLayout.line(text, label, "%s", abbreviate(problem));
            label = "";
        }
        if (replayer.unreadable() > replayer.namedUnreadable().size()) {
            SummaryLayout.line(text, "", "... and %d more", replayer.unreadable() - replayer.namedUnreadable().size());
        }
        SummaryLayout.line(text, "would send", "%d records to %s, %s%s%s", replayer.records(),
                options.to() == null ? "(no --to given)" : options.to(), options.paceText(), duration(replayer),
                options.compare() ? ", comparing each answer with the recorded one" : "");
        SummaryLayout.line(text, "sent", "nothing (--dry-run)");
        SummaryLayout.line(text, "exit", "%d: %s", replayer.unreadable() > 0 ? Replay.INCOMPLETE : Replay.OK,
                replayer.unreadable() > 0 ? replayer.unreadable() + " " + options.item() + "(s) unreadable"
                        : "every " + options.item() + " is a record");
        text.append(SummaryLayout.RULE).append('\n');
        return text.toString();
    }

    private String duration(Replayer replayer) {
        if (options.pace() instanceof ReplayOptions.Pace.Speed speed && replayer.firstReceived() != null) {
            double seconds = Duration.between(replayer.firstReceived(), replayer.lastReceived()).toNanos() / 1e9;
            return String.format(Locale.ROOT, " (about %.1f s)", seconds / speed.factor());
        }
        if (options.pace() instanceof ReplayOptions.Pace.Rate rate) {
            return String.format(Locale.ROOT, " (about %.1f s)", replayer.records() / rate.perSecond());
        }
        return "";
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
