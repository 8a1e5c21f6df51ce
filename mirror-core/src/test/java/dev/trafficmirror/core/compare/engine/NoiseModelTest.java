package dev.trafficmirror.core.compare.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.compare.Difference;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoiseModelTest {

    private final NoiseModel noise = new NoiseModel();

    @Test
    void shouldLearnAFieldTheControlDifferedInForLaterRequests() {
        noise.learn(List.of(new Difference("$.items[3].generatedAt", Difference.Kind.CHANGED, "1", "2")));

        assertThat(noise.isNoise("$.items[7].generatedAt", Set.of())).isTrue();
        assertThat(noise.isNoise("$.items[7].price", Set.of())).isFalse();
    }

    @Test
    void shouldNeverLetOneOddControlAnswerHideLaterStatusOrBodyRegressions() {
        noise.learn(List.of(
                new Difference("status", Difference.Kind.CHANGED, "200", "503"),
                new Difference("body", Difference.Kind.CHANGED, "{...}", "<html>"),
                new Difference("$", Difference.Kind.CHANGED, "{}", "[]")));

        assertThat(noise.isNoise("status", Set.of())).isFalse();
        assertThat(noise.isNoise("body", Set.of())).isFalse();
        assertThat(noise.isNoise("$.reviews[0].rating", Set.of())).isFalse();
        assertThat(noise.isNoise("status", Set.of("status"))).as("on the same request it is noise").isTrue();
    }
}
