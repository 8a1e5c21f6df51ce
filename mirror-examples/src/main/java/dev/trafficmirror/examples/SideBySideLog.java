package dev.trafficmirror.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Both services' access logs in two columns, the way the Istio tutorial splits the screen between
 * the v1 and v2 pods: a request and its mirrored copy carry the same id. The control's log is left
 * out: it is v1's code answering the same copies as v2, and its answers show in the summary.
 */
final class SideBySideLog {

    private static final int COLUMN = 46;

    private final PrintStream out;

    SideBySideLog(PrintStream out) {
        this.out = out;
    }

    void printHeader() {
        print("time", "reviews-v1 (released: users' requests)", "reviews-v2 (shadow: mirrored copies)");
        print("-------", "-".repeat(COLUMN), "-".repeat(COLUMN));
    }

    /**
     * Prints one entry of reviews-v1 or reviews-v2 in its service's column, {@code seconds} after
     * the load started; ignores any other service's.
     */
    void accept(AccessLogEntry entry, double seconds) {
        boolean left = entry.service().equals(ReviewsService.Version.V1.serviceName());
        if (!left && !entry.service().equals(ReviewsService.Version.V2.serviceName())) {
            return;
        }
        String line = String.format(Locale.ROOT, "%s %-12s %d %6.1f ms  id=%s%s", entry.method(), entry.path(),
                entry.status(), entry.nanos() / 1e6, entry.id(), entry.error() == null ? "" : "  " + entry.error());
        String time = String.format(Locale.ROOT, "%6.2fs", seconds);
        if (left) {
            print(time, line, "");
        } else {
            print(time, "", line);
        }
    }

    private synchronized void print(String time, String left, String right) {
        out.println(String.format(Locale.ROOT, "%7s | %-" + COLUMN + "s | %s", time, left, right).stripTrailing());
    }
}
