package studio.lerian.streaming.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The harness's one table, as Markdown and as CSV: absolute figures per cell, and for each cell that is not a
 * baseline its ratios to the baseline of the same scenario (or the scenario it is compared with) and thread count (throughput: higher is better; latency:
 * lower is better). When some cell's records were read back from the topic (scenario d), four more columns before the
 * note say what the consumer found: records read, distinct {@code ce-id}s, duplicates, order violations; cells not
 * read back leave them empty, and a table without any such cell has none of them.
 */
final class ResultTable {

    private static final List<String> COLUMNS = List.of("Scenario", "Threads", "Publisher", "Throughput (/s)",
            "p50 (ms)", "p99 (ms)", "Errors", "Throughput ratio", "p50 ratio", "p99 ratio");
    private static final List<String> DELIVERY_COLUMNS = List.of("Read", "Distinct ce-ids", "Duplicates",
            "Order violations");
    private static final String NOTE = "Note";

    private final List<Result> results;
    private final Map<String, String> baselineScenarios;
    private final boolean readBack;

    /**
     * @param results the cells, in table order
     * @param baselineScenarios for a scenario without a baseline of its own, the scenario whose baseline it is
     *        compared with (the peer's cells with the plain producer of the sync scenario)
     */
    ResultTable(List<Result> results, Map<String, String> baselineScenarios) {
        this.results = List.copyOf(results);
        this.baselineScenarios = Map.copyOf(baselineScenarios);
        this.readBack = results.stream().anyMatch(r -> r.delivery() != null);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", columns())).append(" |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
                .append(readBack ? "---:|".repeat(DELIVERY_COLUMNS.size()) : "").append("---|\n");
        for (Result r : results) {
            sb.append("| ").append(String.join(" | ", cells(r, true))).append(" |\n");
        }
        return sb.toString();
    }

    String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns())).append('\n');
        for (Result r : results) {
            String[] cells = cells(r, false);
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(cells[i].replace("\"", "\"\"")).append('"');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private List<String> columns() {
        List<String> columns = new ArrayList<>(COLUMNS);
        if (readBack) {
            columns.addAll(DELIVERY_COLUMNS);
        }
        columns.add(NOTE);
        return columns;
    }

    private String[] cells(Result r, boolean pretty) {
        Result base = baselineOf(r);
        String thr = pretty ? String.format(Locale.ROOT, "%,.0f", r.throughput())
                : String.format(Locale.ROOT, "%.1f", r.throughput());
        List<String> cells = new ArrayList<>(List.of(r.scenario(), Integer.toString(r.threads()), r.who(), thr,
                millis(r.p50Nanos()), millis(r.p99Nanos()), Long.toString(r.errors()),
                base == null ? "" : ratio(r.throughput(), base.throughput()),
                base == null || !r.hasLatency() ? "" : ratio((double) r.p50Nanos(), (double) base.p50Nanos()),
                base == null || !r.hasLatency() ? "" : ratio((double) r.p99Nanos(), (double) base.p99Nanos())));
        if (readBack) {
            OrderCheck.Report d = r.delivery();
            if (d == null) {
                cells.addAll(List.of("", "", "", ""));
            } else {
                cells.addAll(List.of(count(d.read(), pretty), count(d.distinct(), pretty), count(d.duplicates(),
                        pretty), pretty ? d.violationsText() : Long.toString(d.violations())));
            }
        }
        cells.add(r.note());
        return cells.toArray(String[]::new);
    }

    private static String count(long n, boolean pretty) {
        return pretty ? String.format(Locale.ROOT, "%,d", n) : Long.toString(n);
    }

    private Result baselineOf(Result r) {
        if (r.baseline()) {
            return null;
        }
        String scenario = baselineScenarios.getOrDefault(r.scenario(), r.scenario());
        for (Result b : results) {
            if (b.baseline() && b.scenario().equals(scenario) && b.threads() == r.threads()) {
                return b;
            }
        }
        return null;
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static String ratio(double value, double base) {
        return base <= 0 ? "" : String.format(Locale.ROOT, "%.2f", value / base);
    }

    @Override
    public String toString() {
        return Objects.requireNonNull(markdown());
    }
}
