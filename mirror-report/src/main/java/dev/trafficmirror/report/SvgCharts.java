package dev.trafficmirror.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small self-contained SVG charts for the report: no script, no external resource, valid XML so
 * the report can be checked by a parser.
 */
final class SvgCharts {

    /** One line (or column series) of a chart; {@code NaN} values leave a gap. */
    record Series(String label, double[] values, String color, boolean dashed) {
    }

    /** The width of the line drawn last; each line drawn before it is {@value #WIDTH_STEP} wider. */
    static final double TOP_WIDTH = 2.2;
    static final double WIDTH_STEP = 2.4;
    private static final double MAX_WIDTH = 9.4;

    /** One bar of a horizontal bar list. */
    record Bar(String group, String label, long value, String color) {
    }

    private static final int WIDTH = 560;
    private static final int HEIGHT = 260;
    private static final int LEFT = 52;
    private static final int RIGHT = 16;
    private static final int TOP = 52;
    private static final int BOTTOM = 40;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

    private SvgCharts() {
    }

    /**
     * Lines over time: value {@code i} of each series belongs to the interval starting at
     * {@code i * bucketSeconds}.
     */
    static String lineChart(String id, String title, String unit, String xLabel, double bucketSeconds,
            boolean countAxis, List<Series> series) {
        int points = series.get(0).values().length;
        double yMax = niceMax(series, countAxis);
        StringBuilder svg = open(id, title);
        axes(svg, unit, xLabel, yMax, countAxis, points, bucketSeconds);
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            double width = width(s, series.size());
            for (List<String> segment : segments(line.values(), yMax)) {
                svg.append("<polyline fill=\"none\" stroke=\"").append(line.color())
                        .append("\" stroke-width=\"").append(fmt(width)).append('"')
                        .append(line.dashed() ? " stroke-dasharray=\"6 4\"" : "")
                        .append(" points=\"").append(String.join(" ", segment)).append("\"/>");
                if (points <= 60) {
                    for (String point : segment) {
                        String[] xy = point.split(",");
                        svg.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1])
                                .append("\" r=\"").append(fmt(width / 2 + 1.2)).append("\" fill=\"")
                                .append(line.color()).append("\"/>");
                    }
                }
            }
        }
        legend(svg, series, true);
        return svg.append("</svg>").toString();
    }

    /**
     * How wide series {@code index} of {@code count} is drawn: the first widest, each later one
     * narrower, so that a line drawn over another with the same values leaves it visible on both
     * sides.
     */
    static double width(int index, int count) {
        return Math.min(MAX_WIDTH, TOP_WIDTH + WIDTH_STEP * (count - 1 - index));
    }

    /** Columns per interval, the series of one interval side by side; counts, so whole-number ticks. */
    static String columnChart(String id, String title, String unit, String xLabel, double bucketSeconds,
            List<Series> series) {
        int points = series.get(0).values().length;
        double yMax = niceMax(series, true);
        StringBuilder svg = open(id, title);
        axes(svg, unit, xLabel, yMax, true, points, bucketSeconds);
        double slot = (double) PLOT_WIDTH / points;
        double width = Math.max(1, slot * 0.8 / series.size());
        for (int s = 0; s < series.size(); s++) {
            Series column = series.get(s);
            for (int i = 0; i < points; i++) {
                double value = column.values()[i];
                if (Double.isNaN(value) || value <= 0) {
                    continue;
                }
                double top = y(value, yMax);
                svg.append("<rect x=\"").append(fmt(LEFT + i * slot + slot * 0.1 + s * width))
                        .append("\" y=\"").append(fmt(top)).append("\" width=\"").append(fmt(width))
                        .append("\" height=\"").append(fmt(TOP + PLOT_HEIGHT - top)).append("\" fill=\"")
                        .append(column.color()).append("\"><title>").append(Html.escape(column.label())).append(": ")
                        .append(tick(value)).append("</title></rect>");
            }
        }
        legend(svg, series, false);
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars with their counts, in groups. */
    static String barList(String id, String title, List<Bar> bars) {
        int rowHeight = 22;
        int labelWidth = 190;
        long max = Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(1));
        int height = TOP - 14 + bars.size() * rowHeight + 12;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(id).append("\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(title)).append("\">");
        svg.append("<text class=\"title\" x=\"8\" y=\"20\">").append(Html.escape(title)).append("</text>");
        double barSpace = WIDTH - labelWidth - 70;
        String group = null;
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double top = TOP - 14 + i * rowHeight;
            if (!bar.group().equals(group)) {
                group = bar.group();
                if (i > 0) {
                    svg.append("<line x1=\"8\" x2=\"").append(WIDTH - 8).append("\" y1=\"").append(fmt(top - 2))
                            .append("\" y2=\"").append(fmt(top - 2)).append("\" class=\"grid\"/>");
                }
            }
            svg.append("<text class=\"label\" x=\"").append(labelWidth - 8).append("\" y=\"").append(fmt(top + 15))
                    .append("\" text-anchor=\"end\">").append(Html.escape(bar.label())).append("</text>");
            double length = bar.value() == 0 ? 0 : Math.max(2, barSpace * bar.value() / max);
            svg.append("<rect x=\"").append(labelWidth).append("\" y=\"").append(fmt(top + 3)).append("\" width=\"")
                    .append(fmt(length)).append("\" height=\"").append(rowHeight - 6).append("\" fill=\"")
                    .append(bar.color()).append("\"/>");
            svg.append("<text class=\"value\" x=\"").append(fmt(labelWidth + length + 6)).append("\" y=\"")
                    .append(fmt(top + 15)).append("\">").append(bar.value()).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** The points of a line as "x,y" strings, split where a value is missing. */
    private static List<List<String>> segments(double[] values, double yMax) {
        List<List<String>> segments = new ArrayList<>();
        List<String> current = null;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                current = null;
                continue;
            }
            if (current == null) {
                current = new ArrayList<>();
                segments.add(current);
            }
            current.add(fmt(x(i + 0.5, values.length)) + "," + fmt(y(values[i], yMax)));
        }
        return segments;
    }

    private static StringBuilder open(String id, String title) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(id).append("\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(title)).append("\">");
        svg.append("<text class=\"title\" x=\"8\" y=\"20\">").append(Html.escape(title)).append("</text>");
        return svg;
    }

    private static void axes(StringBuilder svg, String unit, String xLabel, double yMax, boolean countAxis, int points,
            double bucketSeconds) {
        double step = step(yMax / 4, countAxis);
        for (double value = 0; value <= yMax + step / 1000; value += step) {
            double y = y(value, yMax);
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_WIDTH)
                    .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>");
            svg.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(tick(value)).append("</text>");
        }
        svg.append("<text class=\"unit\" x=\"").append(LEFT - 6).append("\" y=\"").append(TOP - 10)
                .append("\" text-anchor=\"end\">").append(Html.escape(unit)).append("</text>");
        double total = points * bucketSeconds;
        double xStep = niceStep(total / 6);
        for (double t = 0; t <= total + xStep / 1000; t += xStep) {
            double x = LEFT + PLOT_WIDTH * t / total;
            svg.append("<line class=\"axis\" x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"")
                    .append(TOP + PLOT_HEIGHT).append("\" y2=\"").append(TOP + PLOT_HEIGHT + 4).append("\"/>");
            svg.append("<text class=\"tick\" x=\"").append(fmt(x)).append("\" y=\"").append(TOP + PLOT_HEIGHT + 16)
                    .append("\" text-anchor=\"middle\">").append(tick(t)).append("</text>");
        }
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_WIDTH)
                .append("\" y1=\"").append(TOP + PLOT_HEIGHT).append("\" y2=\"").append(TOP + PLOT_HEIGHT).append("\"/>");
        svg.append("<text class=\"unit\" x=\"").append(LEFT + PLOT_WIDTH).append("\" y=\"").append(HEIGHT - 6)
                .append("\" text-anchor=\"end\">").append(Html.escape(xLabel)).append("</text>");
    }

    private static void legend(StringBuilder svg, List<Series> series, boolean lines) {
        double x = LEFT;
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            svg.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x + 22))
                    .append("\" y1=\"34\" y2=\"34\" stroke=\"")
                    .append(line.color()).append("\" stroke-width=\"")
                    .append(fmt(lines ? width(s, series.size()) : 6)).append('"')
                    .append(line.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
            svg.append("<text class=\"legend\" x=\"").append(fmt(x + 27)).append("\" y=\"38\">")
                    .append(Html.escape(line.label())).append("</text>");
            x += 36 + 6.4 * Math.min(40, line.label().length());
        }
    }

    private static double x(double index, int points) {
        return LEFT + PLOT_WIDTH * index / points;
    }

    private static double y(double value, double yMax) {
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / yMax;
    }

    /**
     * The smallest round number (1, 2, 2.5 or 5 times a power of ten; no 2.5 on a count axis, whose
     * ticks are whole numbers) at or above every value.
     */
    static double niceMax(List<Series> series, boolean countAxis) {
        double max = 0;
        for (Series line : series) {
            for (double value : line.values()) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        if (max <= 0) {
            return 1;
        }
        double step = step(max / 4, countAxis);
        return Math.ceil(max / step - 1e-9) * step;
    }

    /** The tick step: round, and for counts a whole number, at least 1. */
    static double step(double rough, boolean countAxis) {
        if (!countAxis) {
            return niceStep(rough);
        }
        double step = niceStep(Math.max(1, rough));
        return step == 2.5 ? 5 : step; // from 10 on, 2.5 times a power of ten is whole
    }

    static double niceStep(double rough) {
        if (rough <= 0 || Double.isNaN(rough)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
            if (factor * power >= rough) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static String tick(double value) {
        for (int decimals = 0; decimals < 3; decimals++) {
            double scaled = value * Math.pow(10, decimals);
            if (Math.abs(scaled - Math.rint(scaled)) < 1e-6) {
                return String.format(Locale.ROOT, "%." + decimals + "f", value);
            }
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
