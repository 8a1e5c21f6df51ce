package dev.trafficmirror.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SvgChartsTest {

    private static final Pattern Y_TICK = Pattern.compile("<text class=\"tick\" x=\"[\\d.]+\" y=\"[\\d.]+\" "
            + "text-anchor=\"end\">([^<]*)</text>");

    @Property(tries = 200)
    void countAxesHaveWholeNumberTicksOnly(@ForAll @IntRange(min = 0, max = 100_000) int most) {
        double[] values = {0, most / 2, most};
        String svg = SvgCharts.columnChart("c", "errors", "count", "seconds", 1,
                List.of(new SvgCharts.Series("a", values, "#000000", false)));
        List<String> ticks = yTicks(svg);
        assertThat(ticks).hasSizeGreaterThanOrEqualTo(2).allMatch(tick -> tick.matches("\\d+"), "a whole number");
        assertThat(Long.parseLong(ticks.get(ticks.size() - 1))).isGreaterThanOrEqualTo(most);
    }

    @Test
    void smallCountsGetTicksOfOne() {
        String svg = SvgCharts.columnChart("c", "errors", "count", "seconds", 1,
                List.of(new SvgCharts.Series("a", new double[] {0, 1, 2}, "#000000", false)));
        assertThat(yTicks(svg)).containsExactly("0", "1", "2");
    }

    @Test
    void aLineDrawnFirstIsWiderThanEveryLineDrawnOverIt() {
        double[] same = {1, 2, 3, 2};
        String svg = SvgCharts.lineChart("l", "copies", "copies/s", "seconds", 1, false, List.of(
                new SvgCharts.Series("under", same, "#111111", false),
                new SvgCharts.Series("middle", same, "#222222", false),
                new SvgCharts.Series("over", same, "#333333", false)));
        double under = strokeWidth(svg, "#111111");
        double middle = strokeWidth(svg, "#222222");
        double over = strokeWidth(svg, "#333333");
        assertThat(under).isGreaterThan(middle + 2);
        assertThat(middle).isGreaterThan(over + 2);
        assertThat(over).isEqualTo(SvgCharts.TOP_WIDTH);
        // polylines are drawn in the order given: the widest first, underneath
        assertThat(svg.indexOf("#111111")).isLessThan(svg.indexOf("#222222"));
    }

    @Test
    void aGapIsLeftWhereThereIsNoValue() {
        String svg = SvgCharts.lineChart("l", "ms", "ms", "seconds", 1, false, List.of(
                new SvgCharts.Series("a", new double[] {1, Double.NaN, 2, 3}, "#111111", false)));
        assertThat(svg.split("<polyline", -1)).hasSize(3);
    }

    private static double strokeWidth(String svg, String color) {
        Matcher matcher = Pattern.compile("<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"([\\d.]+)\"")
                .matcher(svg);
        assertThat(matcher.find()).as("a line in %s", color).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static List<String> yTicks(String svg) {
        List<String> ticks = new ArrayList<>();
        Matcher matcher = Y_TICK.matcher(svg);
        while (matcher.find()) {
            ticks.add(matcher.group(1));
        }
        return ticks;
    }
}
