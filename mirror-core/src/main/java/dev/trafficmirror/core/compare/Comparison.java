package dev.trafficmirror.core.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One shadow answer compared with the primary's answer to the same request: what was asked, the
 * result, the differences reported and how long each side took.
 *
 * <p>Differences that are noise (they also appear between the primary and the control target) are
 * not listed, only counted in {@code noise}. At most {@value #MAX_DIFFERENCES} differences are kept;
 * {@code differenceCount} says how many there were.
 *
 * @param target the target whose answer was compared
 * @param control whether the target is the control (the primary's own version): its differences are noise
 * @param method the request's method
 * @param path the request's raw path, without the query (which may carry secrets)
 * @param mirrorId the {@code X-Mirror-Id} of the copy, to find the request in both services' logs
 * @param result the result
 * @param differences the differences reported (noise, ignored headers and ignored paths left out),
 *     at most {@value #MAX_DIFFERENCES}
 * @param differenceCount how many differences were reported, including any beyond those kept
 * @param noise how many differences were set aside as noise
 * @param primaryStatus the primary's status
 * @param shadowStatus the shadow's status
 * @param primaryLatency how long the primary took to answer its client
 * @param shadowLatency how long the copy took to send and be answered by the shadow
 * @param note why the answers were not comparable, what went wrong, or what was left out of the
 *     comparison; {@code null} if nothing
 * @param time when the comparison was made
 */
public record Comparison(String target, boolean control, String method, String path, String mirrorId,
        ComparisonResult result, List<Difference> differences, int differenceCount, int noise, int primaryStatus,
        int shadowStatus, Duration primaryLatency, Duration shadowLatency, String note, Instant time) {

    /** The most differences one comparison keeps. */
    public static final int MAX_DIFFERENCES = 50;

    /** Keeps at most {@value #MAX_DIFFERENCES} differences. */
    public Comparison {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(result, "result");
        differences = List.copyOf(differences.size() > MAX_DIFFERENCES ? differences.subList(0, MAX_DIFFERENCES) : differences);
    }

    /** The request, the result and up to 5 differences with both sides' values. */
    @Override
    public String toString() {
        return describe(Difference::toString);
    }

    /**
     * Like {@link #toString()}, but only where and how the answers differ: the values are response
     * data (personal data, tokens), which have no place in a log.
     */
    public String withoutValues() {
        return describe(Difference::where);
    }

    private String describe(Function<Difference, String> difference) {
        StringBuilder text = new StringBuilder()
                .append(method).append(' ').append(path).append(" [").append(mirrorId).append("] ")
                .append(target).append(": ").append(result.tag());
        if (!differences.isEmpty()) {
            text.append(": ").append(differences.stream().limit(5).map(difference).collect(Collectors.joining("; ")));
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
