package studio.lerian.streaming.benchmarks.load;

/**
 * One cell of the harness's table.
 *
 * @param scenario the scenario letter and name, e.g. {@code a) sync publish}
 * @param threads caller threads (or relay instances)
 * @param who the publisher measured
 * @param baseline whether this cell is the scenario's baseline, which the others are compared with
 * @param ops completed operations (records, rows) in the measured window
 * @param seconds the measured window
 * @param p50Nanos median latency of one call, or -1 when not measured
 * @param p99Nanos 99th percentile latency of one call, or -1 when not measured
 * @param errors failed calls in the measured window
 * @param note what the reader needs to know about the cell (empty if nothing)
 * @param delivery what a consumer read back from the topic after the cell, or {@code null} when nothing was read
 */
record Result(String scenario, int threads, String who, boolean baseline, long ops, double seconds, long p50Nanos,
        long p99Nanos, long errors, String note, OrderCheck.Report delivery) {

    /** A cell whose records were not read back. */
    Result(String scenario, int threads, String who, boolean baseline, long ops, double seconds, long p50Nanos,
            long p99Nanos, long errors, String note) {
        this(scenario, threads, who, baseline, ops, seconds, p50Nanos, p99Nanos, errors, note, null);
    }

    double throughput() {
        return seconds <= 0 ? 0 : ops / seconds;
    }

    boolean hasLatency() {
        return p50Nanos >= 0;
    }

    Result withNote(String text) {
        return new Result(scenario, threads, who, baseline, ops, seconds, p50Nanos, p99Nanos, errors,
                note.isEmpty() ? text : text + "; " + note, delivery);
    }

    Result withDelivery(OrderCheck.Report report) {
        return new Result(scenario, threads, who, baseline, ops, seconds, p50Nanos, p99Nanos, errors, note, report);
    }
}
