package dev.trafficmirror.examples;

import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.ComparisonSummary.FieldCount;
import dev.trafficmirror.core.compare.ComparisonSummary.TargetSummary;
import dev.trafficmirror.core.compare.Difference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How reviews-v2's answers differed from reviews-v1's, as trafficmirror's response comparison
 * ({@code Mirror.comparisons()}) found them once the noise was set aside: the summary's and the
 * report's differences section.
 *
 * <p>The noise is what the control revealed: a second reviews-v1 gets the same copies, so whatever
 * differs between its answers and the released v1's (a timestamp) is not v2's doing.
 *
 * @param candidate reviews-v2's comparisons; {@code null} if it compares nothing
 * @param control the control's comparisons; {@code null} without a control
 * @param noise the fields in which reviews-v1 and its control differed, each with the number of
 *     answers it differed in
 * @param examples recent mismatches of reviews-v2, at most {@value #MAX_EXAMPLES}, one per status
 *     v2 answered with, lowest status first
 */
record ResponseDifferences(TargetSummary candidate, TargetSummary control, List<FieldCount> noise,
        List<Comparison> examples) {

    static final int MAX_EXAMPLES = 2;

    /** Copies the lists. */
    ResponseDifferences {
        noise = List.copyOf(noise);
        examples = List.copyOf(examples);
    }

    /**
     * Picks the demo's targets out of a comparison summary.
     *
     * @param target the candidate's name
     * @param controlTarget the control's name
     */
    static ResponseDifferences of(ComparisonSummary summary, String target, String controlTarget) {
        Set<Integer> statuses = new HashSet<>();
        List<Comparison> examples = new ArrayList<>();
        for (Comparison mismatch : summary.recentMismatches()) {
            if (mismatch.target().equals(target) && examples.size() < MAX_EXAMPLES
                    && statuses.add(mismatch.shadowStatus())) {
                examples.add(mismatch);
            }
        }
        examples.sort(Comparator.comparingInt(Comparison::shadowStatus));
        return new ResponseDifferences(summary.target(target), summary.target(controlTarget), summary.noise(), examples);
    }

    /** Whether reviews-v2's answers were compared at all. */
    boolean measured() {
        return candidate != null && candidate.compared() > 0;
    }

    /** A field the way people read it: {@code $.reviews[*].text removed}. */
    static String describe(FieldCount field) {
        return field.path() + " " + kind(field.kind());
    }

    /** One difference of one answer, without its values: {@code $.reviews[0].text removed}. */
    static String describe(Difference difference) {
        return difference.path().equals("status")
                ? "status " + difference.primary() + " -> " + difference.shadow()
                : difference.path() + " " + kind(difference.kind());
    }

    static String kind(Difference.Kind kind) {
        return kind == null ? "" : kind.name().toLowerCase(Locale.ROOT);
    }
}
