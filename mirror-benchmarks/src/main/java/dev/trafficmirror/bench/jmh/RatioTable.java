package dev.trafficmirror.bench.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH CSV result ({@code -rf csv}) into a markdown table where every benchmark is set
 * against the {@code baseline*} benchmark of the same class and parameters, measured in the same
 * run: time per operation, its ratio and difference to the baseline, and, when the run used
 * {@code -prof gc}, bytes allocated per operation (all threads) and their difference. A
 * {@code bytes} parameter adds the read throughput.
 *
 * <pre>java -cp benchmarks.jar dev.trafficmirror.bench.jmh.RatioTable target/jmh-result.csv</pre>
 */
public final class RatioTable {

    private static final String ALLOCATION = "gc.alloc.rate.norm";

    private RatioTable() {
    }

    /** One result line of the CSV. */
    record Row(String benchmarkClass, String method, String secondary, String params, double score, double error,
            String unit) {
    }

    /**
     * Prints the table for the CSV file named by the only argument.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RatioTable <jmh-result.csv>");
        }
        System.out.print(render(parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8))));
    }

    static List<Row> parse(List<String> lines) {
        List<String> header = fields(lines.get(0));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = fields(line);
            String name = fields.get(0);
            String secondary = null;
            int colon = Math.max(name.indexOf(':'), name.indexOf('\u00b7'));
            if (colon >= 0) {
                secondary = name.substring(colon + 1).replace("\u00b7", "");
                name = name.substring(0, colon);
            }
            int dot = name.lastIndexOf('.');
            StringBuilder params = new StringBuilder();
            for (int i = 7; i < header.size() && i < fields.size(); i++) {
                if (!fields.get(i).isEmpty()) {
                    params.append(params.length() == 0 ? "" : ", ")
                            .append(header.get(i).replace("Param: ", "")).append('=').append(fields.get(i));
                }
            }
            rows.add(new Row(name.substring(0, dot), name.substring(dot + 1), secondary, params.toString(),
                    number(fields.get(4)), number(fields.get(5)), fields.get(6)));
        }
        return rows;
    }

    static String render(List<Row> rows) {
        Map<String, Row> primary = new LinkedHashMap<>();
        Map<String, Row> allocation = new LinkedHashMap<>();
        for (Row row : rows) {
            String key = row.benchmarkClass() + "|" + row.params() + "|" + row.method();
            if (row.secondary() == null) {
                primary.put(key, row);
            } else if (row.secondary().equals(ALLOCATION)) {
                allocation.put(key, row);
            }
        }
        StringBuilder table = new StringBuilder();
        String currentClass = null;
        for (Map.Entry<String, Row> entry : primary.entrySet()) {
            Row row = entry.getValue();
            if (!row.benchmarkClass().equals(currentClass)) {
                currentClass = row.benchmarkClass();
                table.append(table.length() == 0 ? "" : "\n").append("`")
                        .append(currentClass.substring(currentClass.lastIndexOf('.') + 1)).append("`\n\n")
                        .append("| benchmark | params | time/op | vs baseline | difference | allocated/op | difference | throughput |\n")
                        .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
            }
            Row baseline = baselineFor(row, primary);
            Row allocated = allocation.get(entry.getKey());
            Row baselineAllocated = baseline == null ? null
                    : allocation.get(baseline.benchmarkClass() + "|" + baseline.params() + "|" + baseline.method());
            table.append("| ").append(row.method()).append(" | ").append(row.params()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.1f ± %,.1f %s", row.score(), row.error(), row.unit()))
                    .append(" | ").append(baseline == null ? "" : String.format(Locale.ROOT, "%.2f", row.score() / baseline.score()))
                    .append(" | ").append(baseline == null || baseline == row ? ""
                            : String.format(Locale.ROOT, "%+,.1f %s", row.score() - baseline.score(), row.unit()))
                    .append(" | ").append(allocated == null ? "" : String.format(Locale.ROOT, "%,.0f B", allocated.score()))
                    .append(" | ").append(allocated == null || baselineAllocated == null || baseline == row ? ""
                            : String.format(Locale.ROOT, "%+,.0f B", allocated.score() - baselineAllocated.score()))
                    .append(" | ").append(throughput(row)).append(" |\n");
        }
        return table.toString();
    }

    private static Row baselineFor(Row row, Map<String, Row> primary) {
        for (Row candidate : primary.values()) {
            if (candidate.method().startsWith("baseline") && candidate.benchmarkClass().equals(row.benchmarkClass())
                    && candidate.params().equals(row.params())) {
                return candidate;
            }
        }
        return null;
    }

    /** MB/s read, for a benchmark with a {@code bytes} parameter timed in ns/op. */
    private static String throughput(Row row) {
        for (String param : row.params().split(", ")) {
            if (param.startsWith("bytes=") && row.unit().equals("ns/op")) {
                double bytes = Double.parseDouble(param.substring("bytes=".length()));
                return String.format(Locale.ROOT, "%,.0f MB/s", bytes / row.score() * 1e9 / 1e6);
            }
        }
        return "";
    }

    private static double number(String field) {
        return field.isEmpty() || field.equals("NaN") ? Double.NaN : Double.parseDouble(field);
    }

    /** The fields of one CSV line: comma-separated, optionally double-quoted. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
