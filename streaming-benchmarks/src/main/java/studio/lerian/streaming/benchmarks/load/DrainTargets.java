package studio.lerian.streaming.benchmarks.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Scenario d's cells set side by side as the targets read them, all from one run: each library drain over the
 * plain JDBC loop (all at once) with as many workers as it has relays, on the same backlog; the library's drain of a few
 * hot keys over its drain of the most keys, with as many relays; the one-relay library drain in rows/s; the order
 * violations of every library cell. One column per {@code STREAMING_OUTBOX_RETENTION_H} value drained. Not
 * thread-safe.
 */
final class DrainTargets {

    /** Who drained. */
    enum Drainer {
        /** The plain JDBC loop sending each claim at once: the baseline. */
        JDBC_LOOP,
        /** The same loop in per-key rounds. */
        JDBC_ROUNDS,
        /** The library's relays. */
        LIBRARY
    }

    /** One measured drain; {@code retentionHours} is -1 for the JDBC loops, which delete what they publish. */
    private record Cell(int keys, int instances, Drainer drainer, int retentionHours) {
    }

    private final int[] keyCounts;
    private final int[] instanceCounts;
    private final int[] retentions;
    private final Map<Cell, Result> cells = new HashMap<>();

    /**
     * @param keyCounts the backlogs' key counts, in run order
     * @param instanceCounts relay instances (and JDBC workers), in run order
     * @param retentions the library's retention values, in run order
     */
    DrainTargets(int[] keyCounts, int[] instanceCounts, int[] retentions) {
        this.keyCounts = keyCounts.clone();
        this.instanceCounts = instanceCounts.clone();
        this.retentions = retentions.clone();
    }

    /**
     * Records a measured drain.
     *
     * @param retentionHours the library's retention; ignored for the JDBC loops
     */
    void add(int keys, int instances, Drainer drainer, int retentionHours, Result result) {
        cells.put(new Cell(keys, instances, drainer, drainer == Drainer.LIBRARY ? retentionHours : -1), result);
    }

    /** @return the targets' table, Markdown, with a line that introduces it; empty when no drain was recorded */
    String markdown() {
        if (cells.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Scenario d against the issue's targets (throughput ratios of this run;"
                + " the JDBC loop is the one sending each claim at once):\n\n| Ratio (target) |");
        for (int h : retentions) {
            sb.append(h == 0 ? " rows deleted (retention 0) |" : " rows kept " + h + " h |");
        }
        sb.append("\n|---|").append("---:|".repeat(retentions.length)).append('\n');
        for (int n : instanceCounts) {
            for (int keys : keyCounts) {
                row(sb, String.format(Locale.ROOT, "library %s / JDBC loop %s, %d keys (≥ 0.8)", relays(n),
                        workers(n), keys), h -> ratio(library(keys, n, h), cells.get(new Cell(keys, n,
                                Drainer.JDBC_LOOP, -1))));
            }
        }
        int most = Arrays.stream(keyCounts).max().orElse(0);
        for (int n : instanceCounts) {
            for (int keys : keyCounts) {
                if (keys != most) {
                    row(sb, String.format(Locale.ROOT, "library %d keys / library %d keys, %s (≥ 0.5)", keys, most,
                            relays(n)), h -> ratio(library(keys, n, h), library(most, n, h)));
                }
            }
        }
        for (int keys : keyCounts) {
            row(sb, String.format(Locale.ROOT, "library 1 relay, %d keys, rows/s (≥ 10,000 keeping rows)", keys),
                    h -> {
                        Result r = library(keys, 1, h);
                        return r == null ? "" : String.format(Locale.ROOT, "%,.0f", r.throughput());
                    });
        }
        row(sb, "library order violations, every relay and key count (0)", h -> {
            long violations = 0;
            boolean any = false;
            for (Map.Entry<Cell, Result> e : cells.entrySet()) {
                if (e.getKey().drainer() == Drainer.LIBRARY && e.getKey().retentionHours() == h
                        && e.getValue().delivery() != null) {
                    violations += e.getValue().delivery().violations();
                    any = true;
                }
            }
            return any ? String.format(Locale.ROOT, "%,d", violations) : "";
        });
        return sb.toString();
    }

    private void row(StringBuilder sb, String label, Function<Integer, String> perRetention) {
        sb.append("| ").append(label).append(" |");
        for (int h : retentions) {
            sb.append(' ').append(perRetention.apply(h)).append(" |");
        }
        sb.append('\n');
    }

    private Result library(int keys, int instances, int retentionHours) {
        return cells.get(new Cell(keys, instances, Drainer.LIBRARY, retentionHours));
    }

    private static String ratio(Result value, Result base) {
        return value == null || base == null || base.throughput() <= 0 ? ""
                : String.format(Locale.ROOT, "%.2f", value.throughput() / base.throughput());
    }

    private static String relays(int n) {
        return n == 1 ? "1 relay" : n + " relays";
    }

    private static String workers(int n) {
        return n == 1 ? "1 worker" : n + " workers";
    }
}
