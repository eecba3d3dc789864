package studio.lerian.streaming.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    private static final Result PLAIN = new Result("a) sync publish", 8, "plain KafkaProducer", true, 1000, 10,
            6_000_000, 12_000_000, 0, "");
    private static final Result LIBRARY = new Result("a) sync publish", 8, "library emit (CDI)", false, 900, 10,
            6_600_000, 12_000_000, 0, "");

    @Test
    void aTableWithoutReadBackCellsKeepsItsColumns() {
        String md = new ResultTable(List.of(PLAIN, LIBRARY), Map.of()).markdown();
        assertEquals("""
                | Scenario | Threads | Publisher | Throughput (/s) | p50 (ms) | p99 (ms) | Errors | Throughput ratio \
                | p50 ratio | p99 ratio | Note |
                |---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|
                | a) sync publish | 8 | plain KafkaProducer | 100 | 6.00 | 12.00 | 0 |  |  |  |  |
                | a) sync publish | 8 | library emit (CDI) | 90 | 6.60 | 12.00 | 0 | 0.90 | 1.10 | 1.00 |  |
                """, md);
    }

    @Test
    void readBackCellsAddTheConsumersColumnsBeforeTheNote() {
        Result drained = new Result("d) relay drain, 3 keys (rows/s)", 4, "plain JDBC SKIP LOCKED loop", true, 5000,
                2, -1, -1, 0, "x").withDelivery(new OrderCheck.Report(5002, 5000, 2,
                        Map.of("tenant-001", 7L, "tenant-002", 5L), 0, 0));
        String md = new ResultTable(List.of(PLAIN, drained), Map.of()).markdown();
        List<String> lines = md.lines().toList();
        assertEquals("| Scenario | Threads | Publisher | Throughput (/s) | p50 (ms) | p99 (ms) | Errors |"
                + " Throughput ratio | p50 ratio | p99 ratio | Read | Distinct ce-ids | Duplicates | Order violations"
                + " | Note |", lines.get(0));
        assertEquals(lines.get(0).split("\\|").length, lines.get(1).split("\\|").length, "alignment row");
        assertEquals("| a) sync publish | 8 | plain KafkaProducer | 100 | 6.00 | 12.00 | 0 |  |  |  |  |  |  |  |  |",
                lines.get(2));
        assertEquals("| d) relay drain, 3 keys (rows/s) | 4 | plain JDBC SKIP LOCKED loop | 2,500 |  |  | 0 |  |  |  |"
                + " 5,002 | 5,000 | 2 | 12 in 2 keys | x |", lines.get(3));
        String csv = new ResultTable(List.of(drained), Map.of()).csv();
        assertEquals("\"d) relay drain, 3 keys (rows/s)\",\"4\",\"plain JDBC SKIP LOCKED loop\",\"2500.0\",\"\",\"\","
                + "\"0\",\"\",\"\",\"\",\"5002\",\"5000\",\"2\",\"12\",\"x\"", csv.lines().toList().get(1));
    }
}
