package dev.trafficmirror.replay;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on one line of stderr, redrawn every half second: records sent, the rate, and the time
 * left. Shown on a terminal only (or with {@code --progress}), so that CI logs stay clean.
 */
final class Progress {

    private static final Progress NONE = new Progress(null, null);

    private final Thread thread;
    private final PrintStream err;

    private Progress(Thread thread, PrintStream err) {
        this.thread = thread;
        this.err = err;
    }

    /**
     * @param total the records to send, or -1 when unknown ({@code --loop}, {@code --follow}, a group)
     */
    static Progress start(boolean show, PrintStream err, LongSupplier sent, long total, boolean endless) {
        if (!show) {
            return NONE;
        }
        long started = System.nanoTime();
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(500);
                    err.print("\r" + line(sent.getAsLong(), total, endless, System.nanoTime() - started) + "   ");
                    err.flush();
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }, "mirror-replay-progress");
        thread.setDaemon(true);
        thread.start();
        return new Progress(thread, err);
    }

    /** One progress line: {@code sent 1200 of 5000 (24.0%), 98.2/s, about 39 s left}. */
    static String line(long sent, long total, boolean endless, long elapsedNanos) {
        double rate = elapsedNanos <= 0 ? 0 : sent * 1e9 / elapsedNanos;
        StringBuilder text = new StringBuilder("replay: sent ").append(sent);
        if (total > 0 && !endless) {
            text.append(String.format(Locale.ROOT, " of %d (%.1f%%)", total, 100.0 * sent / total));
        }
        text.append(String.format(Locale.ROOT, ", %.1f/s", rate));
        if (endless) {
            text.append(", until Ctrl-C");
        } else if (total > 0 && rate > 0) {
            long left = Math.max(0, Math.round((total - sent) / rate));
            text.append(left >= 60 ? String.format(Locale.ROOT, ", about %d min %02d s left", left / 60, left % 60)
                    : String.format(Locale.ROOT, ", about %d s left", left));
        }
        return text.toString();
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
    }
}
