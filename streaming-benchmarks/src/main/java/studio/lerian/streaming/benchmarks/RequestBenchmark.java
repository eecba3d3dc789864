package studio.lerian.streaming.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import studio.lerian.streaming.EmitRequest;

/**
 * What the caller pays before the emitter sees the request: {@link EmitRequest.Builder#build()}, which copies the
 * payload and checks the key, tenant, subject and id (control characters, byte lengths) and the payload size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestBenchmark {

    private final byte[] payload = Fixtures.KIB_JSON;

    /** @return a request with a ~1 KiB payload, tenant and subject */
    @Benchmark
    public EmitRequest build() {
        return EmitRequest.builder(Fixtures.KEY)
                .tenantId(Fixtures.TENANT)
                .subject("pay_8f3a2c")
                .payload(payload)
                .build();
    }
}
