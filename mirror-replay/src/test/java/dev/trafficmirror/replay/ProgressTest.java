package dev.trafficmirror.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress line: done, rate and time left. */
class ProgressTest {

    @Test
    void shouldSayWhatIsDoneHowFastAndHowLongIsLeft() {
        assertThat(Progress.line(1200, 5000, false, 12_000_000_000L))
                .isEqualTo("replay: sent 1200 of 5000 (24.0%), 100.0/s, about 38 s left");
        assertThat(Progress.line(100, 10_000, false, 1_000_000_000L))
                .isEqualTo("replay: sent 100 of 10000 (1.0%), 100.0/s, about 1 min 39 s left");
        assertThat(Progress.line(30, -1, true, 3_000_000_000L)).isEqualTo("replay: sent 30, 10.0/s, until Ctrl-C");
        assertThat(Progress.line(0, 10, false, 0)).isEqualTo("replay: sent 0 of 10 (0.0%), 0.0/s");
    }
}
