package dev.trafficmirror.core.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One shadow answer compared with the primary's answer to the same request: what was asked, the
 * result, the differences reported and how long each side took.
 *
 * <p>Differences that are noise (they also appear between the primary and the control target) are
 * not listed, only counted in {@link #noise()}. At most {@value #MAX_DIFFERENCES} differences are
 * kept; {@link #differenceCount()} says how many there were.
 */
public final class Comparison {

    /** The most differences one comparison keeps. */
    public static final int MAX_DIFFERENCES = 50;

    private final String target;
    private final boolean control;
    private final String method;
    private final String path;
    private final String mirrorId;
    private final ComparisonResult result;
    private final List<Difference> differences;
    private final int differenceCount;
    private final int noise;
    private final int primaryStatus;
    private final int shadowStatus;
    private final Duration primaryLatency;
    private final Duration shadowLatency;
    private final String note;
    private final Instant time;
    private final Set<String> noisePaths;

    Comparison(String target, boolean control, String method, String path, String mirrorId, ComparisonResult result,
            List<Difference> differences, int differenceCount, int noise, int primaryStatus, int shadowStatus,
            Duration primaryLatency, Duration shadowLatency, String note, Instant time, Set<String> noisePaths) {
        this.target = target;
        this.control = control;
        this.method = method;
        this.path = path;
        this.mirrorId = mirrorId;
        this.result = result;
        this.differences = List.copyOf(differences.size() > MAX_DIFFERENCES ? differences.subList(0, MAX_DIFFERENCES) : differences);
        this.differenceCount = differenceCount;
        this.noise = noise;
        this.primaryStatus = primaryStatus;
        this.shadowStatus = shadowStatus;
        this.primaryLatency = primaryLatency;
        this.shadowLatency = shadowLatency;
        this.note = note;
        this.time = time;
        this.noisePaths = noisePaths;
    }

    /** The target whose answer was compared. */
    public String target() {
        return target;
    }

    /** Whether the target is the control (the primary's own version): its differences are noise. */
    public boolean control() {
        return control;
    }

    /** The request's method. */
    public String method() {
        return method;
    }

    /** The request's raw path, without the query (which may carry secrets). */
    public String path() {
        return path;
    }

    /** The {@code X-Mirror-Id} of the copy, to find the request in both services' logs. */
    public String mirrorId() {
        return mirrorId;
    }

    /** The result. */
    public ComparisonResult result() {
        return result;
    }

    /** The differences reported (noise, ignored headers and ignored paths left out), at most {@value #MAX_DIFFERENCES}. */
    public List<Difference> differences() {
        return differences;
    }

    /** How many differences were reported, including any beyond those kept. */
    public int differenceCount() {
        return differenceCount;
    }

    /** How many differences were set aside as noise. */
    public int noise() {
        return noise;
    }

    /** The primary's status. */
    public int primaryStatus() {
        return primaryStatus;
    }

    /** The shadow's status. */
    public int shadowStatus() {
        return shadowStatus;
    }

    /** How long the primary took to answer its client. */
    public Duration primaryLatency() {
        return primaryLatency;
    }

    /** How long the copy took to send and be answered by the shadow. */
    public Duration shadowLatency() {
        return shadowLatency;
    }

    /** Why the answers were not comparable, or what went wrong, or what was left out; {@code null} if nothing. */
    public String note() {
        return note;
    }

    /** When the comparison was made. */
    public Instant time() {
        return time;
    }

    /**
     * For a control comparison, the exact paths where the primary and the control differed: noise for
     * the candidates' comparisons of the same request. {@code null} otherwise.
     */
    Set<String> noisePaths() {
        return noisePaths;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder()
                .append(method).append(' ').append(path).append(" [").append(mirrorId).append("] ")
                .append(target).append(": ").append(result.tag());
        if (!differences.isEmpty()) {
            text.append(": ").append(differences.stream().limit(5).map(Difference::toString).collect(Collectors.joining("; ")));
            if (differenceCount > 5) {
                text.append("; and ").append(differenceCount - 5).append(" more");
            }
        }
        if (note != null) {
            text.append(" (").append(note).append(')');
        }
        return text.toString();
    }
}
