package dev.trafficmirror.report;

import dev.trafficmirror.core.compare.ComparisonSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The layout of the summaries trafficmirror prints on a terminal (the demo's, the replay tool's):
 * a centred title in a rule of {@code =}, then lines of a label column {@value #LABEL_WIDTH} wide
 * and their text, long lists wrapped at {@value #WRAP} characters. One place, so that the summaries
 * read alike.
 */
public final class SummaryLayout {

    /** The rule that opens (with the title in it) and closes a summary. */
    public static final String RULE = "=".repeat(78);
    /** The label column's width, the space after it included. */
    public static final int LABEL_WIDTH = 14;
    /** The widest line a list is wrapped to: as wide as the widest fixed line. */
    public static final int WRAP = 100;

    private SummaryLayout() {
    }

    /** {@code title} centred in the {@link #RULE}. */
    public static String center(String title) {
        int left = Math.max(0, (RULE.length() - title.length()) / 2);
        return "=".repeat(left) + title + "=".repeat(Math.max(0, RULE.length() - left - title.length()));
    }

    /** One line: {@code label} in its column (blank for a continuation), then the formatted text. */
    public static void line(StringBuilder text, String label, String format, Object... args) {
        text.append(String.format(Locale.ROOT, "%-" + (LABEL_WIDTH - 1) + "s ", label))
                .append(String.format(Locale.ROOT, format, args).stripTrailing())
                .append('\n');
    }

    /**
     * {@code head} then the items, separated by {@code punctuation} and a space, broken into lines
     * of at most {@value #WRAP} characters, the lines after the first indented by two spaces.
     */
    public static void wrapped(StringBuilder text, String label, String head, List<String> items, String punctuation) {
        int width = WRAP - LABEL_WIDTH;
        StringBuilder current = new StringBuilder(head);
        boolean empty = true;
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? punctuation : "");
            if (!empty && current.length() + 1 + item.length() > width) {
                line(text, label, "%s", current);
                label = "";
                current = new StringBuilder("  ");
                empty = true;
            }
            if (!empty) {
                current.append(' ');
            }
            current.append(item);
            empty = false;
        }
        line(text, label, "%s", current);
    }

    /** Statuses and their counts: {@code 200 x131, 500 x19}, or {@code none}. */
    public static String statuses(Map<Integer, Long> statuses) {
        return statuses.isEmpty() ? "none"
                : statuses.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Names and their counts: {@code 2xx 131, 5xx 19}. */
    public static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** A target's comparisons: {@code 150 compared = 0 match + 150 mismatch + 0 not comparable + 0 error}. */
    public static String counts(ComparisonSummary.TargetSummary target) {
        return String.format(Locale.ROOT, "%d compared = %d match + %d mismatch + %d not comparable + %d error",
                target.compared(), target.matches(), target.mismatches(), target.notComparable(), target.errors());
    }
}
