package studio.lerian.streaming.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import studio.lerian.streaming.internal.Sanitizer;

/**
 * The credential sanitizer, which runs on every failure message (exception text, DLQ headers), never on a successful
 * emit: a typical broker error without credentials, and one carrying URL user info, a bearer token and a password.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SanitizerBenchmark {

    private final String clean = "Expiring 1 record(s) for lerian.streaming.payment.captured-3:120001 ms has passed "
            + "since batch creation; broker kafka-2.internal:9092 (id: 2 rack: null) disconnected";
    private final String credentials = "failed to connect to sasl://svc-payments:s3cr3t-P4ss@kafka-2.internal:9092: "
            + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig; retry with password=hunter2 and "
            + "aws_access_key_id=AKIAIOSFODNN7EXAMPLE";

    /** @return the clean message, unchanged */
    @Benchmark
    public String withoutCredentials() {
        return Sanitizer.sanitize(clean);
    }

    /** @return the message with four credentials masked */
    @Benchmark
    public String withCredentials() {
        return Sanitizer.sanitize(credentials);
    }
}
