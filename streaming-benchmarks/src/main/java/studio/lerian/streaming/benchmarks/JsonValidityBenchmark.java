package studio.lerian.streaming.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import studio.lerian.streaming.core.internal.JsonValidator;

/** The JSON validity check every emit runs on its payload (Jackson's streaming parser, no tree). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonValidityBenchmark {

    /** Payload: {@code small} (31 bytes) or {@code 1KiB}. */
    @Param({"small", "1KiB"})
    public String payload;

    private byte[] bytes;

    /** Picks the payload. */
    @Setup
    public void setUp() {
        bytes = "small".equals(payload) ? Fixtures.SMALL_JSON : Fixtures.KIB_JSON;
    }

    /** @return whether the payload is one JSON value (always true here) */
    @Benchmark
    public boolean isValid() {
        return JsonValidator.isValid(bytes);
    }
}
