package dev.trafficmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void shouldDefaultToThirtySecondsAtFivePerSecond() {
        DemoOptions options = DemoOptions.parse();

        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.qps()).isEqualTo(5);
        assertThat(options.requests()).isEqualTo(150);
        assertThat(options.report()).isEqualTo(Path.of("target", "reviews-demo-report.html"));
    }

    @Test
    void shouldReproduceTheTutorialsLoad() {
        DemoOptions options = DemoOptions.parse("--duration", "5m", "--qps", "5");

        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.requests()).isEqualTo(1500);
    }

    @Test
    void shouldTakeTheLastValueOfAFlagGivenTwice() {
        DemoOptions options = DemoOptions.parse("--report", "a.html", "--duration", "500ms", "--report", "b.html");

        assertThat(options.report()).isEqualTo(Path.of("b.html"));
        assertThat(options.duration()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldNameTheFlagAndWhatItAccepts() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--duration", "30"))
                .withMessageContaining("--duration takes a whole number with ms, s or m");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--duration", "61m"))
                .withMessageContaining("--duration takes at most 60m");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--qps", "0"))
                .withMessageContaining("--qps takes a whole number from 1 to 10000; was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--qps"))
                .withMessageContaining("was null");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--report", "--qps"))
                .withMessageContaining("--report takes the path");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--rate", "5"))
                .withMessageContaining("unknown flag '--rate'").withMessageContaining("--duration");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--record", "a.jsonl", "--replay", "a.jsonl"))
                .withMessageContaining("--record and --replay do not go together");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--record"))
                .withMessageContaining("--record takes the path of a recording");
    }

    @Test
    void shouldTakeARecordingToWriteOrToReplay() {
        assertThat(DemoOptions.parse().record()).isNull();
        assertThat(DemoOptions.parse("--record", "target/reviews.jsonl").record()).isEqualTo(Path.of("target/reviews.jsonl"));
        assertThat(DemoOptions.parse("--replay", "target/reviews.jsonl").replay()).isEqualTo(Path.of("target/reviews.jsonl"));
    }

    @Test
    void shouldFormatDurationsTheWayTheFlagTakesThem() {
        assertThat(DemoOptions.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DemoOptions.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(DemoOptions.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(DemoOptions.format(Duration.ofMillis(2500))).isEqualTo("2500ms");
    }
}
