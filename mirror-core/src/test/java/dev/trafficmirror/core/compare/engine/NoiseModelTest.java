package dev.trafficmirror.core.compare.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.compare.Difference.Kind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Diffy's rule: a candidate's difference is noise only where the control differs as often. */
class NoiseModelTest {

    private static final String REVIEWS = NoiseModel.endpoint("GET", "/reviews/7");

    private final NoiseModel noise = new NoiseModel(10, 20, 0.03);

    private static Difference changed(String path) {
        return new Difference(path, Kind.CHANGED, "1", "2");
    }

    private static Difference removed(String path) {
        return new Difference(path, Kind.REMOVED, "1", null);
    }

    /** One candidate comparison on the reviews endpoint, the control not on that request. */
    private Set<Difference> candidate(Difference... differences) {
        return noise.candidate("v2", REVIEWS, List.of(differences), Set.of());
    }

    @Test
    void shouldReportAChildTheControlNeverDifferedOnWhenTheControlOnceLackedItsParent() {
        noise.control(REVIEWS, List.of(removed("$.data")));
        for (int i = 1; i < 100; i++) {
            noise.control(REVIEWS, List.of());
        }

        for (int i = 0; i < 50; i++) {
            assertThat(candidate(removed("$.data.price"))).as("answer %d", i).isEmpty();
        }
    }

    @Test
    void shouldSetAsideATimestampBothTheControlAndTheCandidateDifferOnEveryTime() {
        for (int i = 0; i < 20; i++) {
            noise.control(REVIEWS, List.of(changed("$.generatedAt")));
        }

        for (int i = 0; i < 20; i++) {
            assertThat(candidate(changed("$.generatedAt"))).hasSize(1);
        }
    }

    @Test
    void shouldReportAFieldTheCandidateDiffersOnFarMoreOftenThanTheControl() {
        // 5 % of the control's answers differ at $.total, 60 % of the candidate's.
        for (int i = 0; i < 100; i++) {
            noise.control(REVIEWS, i % 20 == 0 ? List.of(changed("$.total")) : List.of());
        }
        int reported = 0;
        for (int i = 0; i < 100; i++) {
            if (i % 5 < 3 && candidate(changed("$.total")).isEmpty()) {
                reported++;
            } else if (i % 5 >= 3) {
                candidate();
            }
        }

        assertThat(reported).isEqualTo(60);
    }

    @Test
    void shouldLearnNothingFromASingleAnswer() {
        noise.control(REVIEWS, List.of(changed("$.generatedAt")));

        assertThat(candidate(changed("$.generatedAt"))).as("one control answer is no rate").isEmpty();
        for (int i = 1; i < 10; i++) {
            noise.control(REVIEWS, List.of(changed("$.generatedAt")));
        }
        assertThat(candidate(changed("$.generatedAt"))).as("ten are").hasSize(1);
    }

    @Test
    void shouldTakeTheControlsDifferenceOnTheSameRequestAtTheSamePlaceOnly() {
        Set<Difference> noisy = noise.candidate("v2", REVIEWS,
                List.of(changed("$.at"), changed("$.data.price"), changed("status")), Set.of("$.at", "$.data", "status"));

        assertThat(noisy).extracting(Difference::path).containsExactlyInAnyOrder("$.at", "status");
    }

    @Test
    void shouldNeverLetRatesHideTheStatusTheWholeBodyOrTheRoot() {
        for (int i = 0; i < 20; i++) {
            noise.control(REVIEWS, List.of(changed("status"), changed("body"), changed("$")));
        }

        assertThat(candidate(changed("status"), changed("body"), changed("$"))).isEmpty();
    }

    @Test
    void shouldKeepEachEndpointsRatesApartWithIdsFolded() {
        assertThat(NoiseModel.endpoint("GET", "/reviews/8")).isEqualTo(REVIEWS).isEqualTo("GET /reviews/{id}");
        assertThat(NoiseModel.endpoint("GET", "/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301/items"))
                .isEqualTo("GET /orders/{id}/items");
        assertThat(NoiseModel.endpoint("POST", "/reviews/7")).isNotEqualTo(REVIEWS);
        for (int i = 0; i < 20; i++) {
            noise.control(NoiseModel.endpoint("GET", "/search"), List.of(changed("$.took")));
            noise.control(REVIEWS, List.of());
        }

        assertThat(candidate(changed("$.took"))).as("noisy on /search only").isEmpty();
        assertThat(noise.candidate("v2", NoiseModel.endpoint("GET", "/search"), List.of(changed("$.took")), Set.of()))
                .hasSize(1);
        assertThat(noise.top(5)).extracting(count -> count.path() + "=" + count.count()).containsExactly("$.took=20");
    }

    @Test
    void shouldReportWhatItHasNoRoomToCount() {
        for (int i = 0; i < 20; i++) {
            noise.control(REVIEWS, List.of(changed("$.at")));
        }
        for (int field = 0; field < NoiseModel.MAX_FIELDS; field++) {
            candidate(changed("$.f" + field));
        }

        assertThat(candidate(changed("$.at"))).as("a candidate field past the bound has no rate").isEmpty();
    }
}
