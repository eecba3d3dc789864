package studio.lerian.streaming.benchmarks;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import studio.lerian.streaming.wire.AggregateIds;
import studio.lerian.streaming.wire.CloudEventsTime;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The defaults and ids an emit computes, to split {@link EmitPipelineBenchmark} into parts: the UUIDv7 event id (the
 * same generator, built the same way, as the emitter's), the current time, and the outbox envelope's aggregate id
 * (UUIDv5 of the partition key, SHA-1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdsBenchmark {

    private final TimeBasedEpochGenerator v7 = Generators.timeBasedEpochGenerator();
    private final ResolvedEvent event = Fixtures.event();

    /** @return a UUIDv7 as text, as an emit without an event id gets */
    @Benchmark
    public String eventIdV7() {
        return v7.generate().toString();
    }

    /** @return now in UTC, as an emit without a timestamp gets */
    @Benchmark
    public OffsetDateTime nowUtc() {
        return CloudEventsTime.nowUtc();
    }

    /** @return the RFC 3339 text of the event's time, written to ce-time and the envelope */
    @Benchmark
    public String timeText() {
        return CloudEventsTime.format(event.timestamp());
    }

    /** @return the aggregate id of the event's partition key */
    @Benchmark
    public UUID aggregateId() {
        return AggregateIds.of(event);
    }
}
