package studio.lerian.streaming.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.benchmarks.load.DrainTargets.Drainer;

class DrainTargetsTest {

    @Test
    void setsEachLibraryDrainAgainstItsLoopAndTheHotKeysAgainstTheMostKeys() {
        DrainTargets t = new DrainTargets(new int[] {100, 3}, new int[] {1, 4}, new int[] {24, 0});
        // rows/s as the throughput: 100 rows over the given seconds
        t.add(100, 1, Drainer.JDBC_LOOP, 24, drain(1, 10_000, 0));
        t.add(100, 1, Drainer.JDBC_ROUNDS, -1, drain(1, 99_999, 0));
        t.add(100, 1, Drainer.LIBRARY, 24, drain(1, 5_000, 0));
        t.add(100, 1, Drainer.LIBRARY, 0, drain(1, 8_000, 0));
        t.add(3, 1, Drainer.JDBC_LOOP, -1, drain(1, 4_000, 6));
        t.add(3, 1, Drainer.LIBRARY, 24, drain(1, 1_000, 0));
        t.add(3, 1, Drainer.LIBRARY, 0, drain(1, 6_000, 0));
        t.add(100, 4, Drainer.JDBC_LOOP, -1, drain(4, 20_000, 9));
        t.add(100, 4, Drainer.LIBRARY, 24, drain(4, 16_000, 0));
        t.add(100, 4, Drainer.LIBRARY, 0, drain(4, 30_000, 2));
        // 3 keys, 4 relays: not run (say, timed out before the run ended)

        assertEquals("""
                Scenario d against the issue's targets (throughput ratios of this run; the JDBC loop is the one \
                sending each claim at once):

                | Ratio (target) | rows kept 24 h | rows deleted (retention 0) |
                |---|---:|---:|
                | library 1 relay / JDBC loop 1 worker, 100 keys (≥ 0.8) | 0.50 | 0.80 |
                | library 1 relay / JDBC loop 1 worker, 3 keys (≥ 0.8) | 0.25 | 1.50 |
                | library 4 relays / JDBC loop 4 workers, 100 keys (≥ 0.8) | 0.80 | 1.50 |
                | library 4 relays / JDBC loop 4 workers, 3 keys (≥ 0.8) |  |  |
                | library 3 keys / library 100 keys, 1 relay (≥ 0.5) | 0.20 | 0.75 |
                | library 3 keys / library 100 keys, 4 relays (≥ 0.5) |  |  |
                | library 1 relay, 100 keys, rows/s (≥ 10,000 keeping rows) | 5,000 | 8,000 |
                | library 1 relay, 3 keys, rows/s (≥ 10,000 keeping rows) | 1,000 | 6,000 |
                | library order violations, every relay and key count (0) | 0 | 2 |
                """, t.markdown());
    }

    @Test
    void nothingRecordedNothingPrinted() {
        assertEquals("", new DrainTargets(new int[] {100}, new int[] {1}, new int[] {24}).markdown());
    }

    /** A drain of {@code rowsPerSecond} rows in one second, read back with that many order violations in one key. */
    private static Result drain(int instances, long rowsPerSecond, long violations) {
        return new Result(RelayDrainScenario.scenario(100), instances, "someone", false, rowsPerSecond, 1.0, -1, -1, 0,
                "").withDelivery(new OrderCheck.Report(rowsPerSecond, rowsPerSecond, 0,
                        violations == 0 ? Map.of() : Map.of("tenant-001", violations), 0, 0));
    }
}
