package studio.lerian.streaming.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The harness's one table, as Markdown and as CSV: absolute figures per cell, and for each cell that is not a
 * baseline its ratios to the baseline of the same scenario (or the scenario it is compared with) and thread count (throughput: higher is better; latency:
 * lower is better).
 */
final class ResultTable {

    private static final String[] COLUMNS = {"Scenario", "Threads", "Publisher", "Throughput (/s)", "p50 (ms)",
        "p99 (ms)", "Errors", "Throughput ratio", "p50 ratio", "p99 ratio", "Note"};

    private final List<Result> results;
    private final Map<String, String> baselineScenarios;

    /**
     * @param results the cells, in table order
     * @param baselineScenarios for a scenario without a baseline of its own, the scenario whose baseline it is
     *        compared with (the peer's cells with the plain producer of the sync scenario)
     */
    ResultTable(List<Result> results, Map<String, String> baselineScenarios) {
        this.results = List.copyOf(results);
        this.baselineScenarios = Map.copyOf(baselineScenarios);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            sb.append("| ").append(String.join(" | ", cells(r, true))).append(" |\n");
        }
        return sb.toString();
    }

    String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", COLUMNS)).append('\n');
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

    private String[] cells(Result r, boolean pretty) {
        Result base = baselineOf(r);
        String thr = pretty ? String.format(Locale.ROOT, "%,.0f", r.throughput())
                : String.format(Locale.ROOT, "%.1f", r.throughput());
        return new String[] {r.scenario(), Integer.toString(r.threads()), r.who(), thr, millis(r.p50Nanos()),
            millis(r.p99Nanos()), Long.toString(r.errors()),
            base == null ? "" : ratio(r.throughput(), base.throughput()),
            base == null || !r.hasLatency() ? "" : ratio(r.p50Nanos(), base.p50Nanos()),
            base == null || !r.hasLatency() ? "" : ratio(r.p99Nanos(), base.p99Nanos()),
            r.note()};
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
