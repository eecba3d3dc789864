package studio.lerian.streaming.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.core.internal.outbox.EnvelopeDecoder;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * The outbox envelope (~1 KiB payload): {@link OutboxEnvelope#toJson()} when an event is parked, and
 * {@link EnvelopeDecoder#decode(byte[])} when the relay reads the row back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeBenchmark {

    private OutboxEnvelope envelope;
    private OutboxEnvelope traced;
    private byte[] json;

    /** Builds the envelopes and one encoded row. */
    @Setup
    public void setUp() {
        envelope = OutboxEnvelope.of(Fixtures.KEY, DeliveryPolicy.defaults(), Fixtures.event());
        traced = envelope.withTraceCarrier(Map.of(OutboxEnvelope.TRACEPARENT,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        json = envelope.toJson();
    }

    /** @return the envelope's JSON, no trace carrier */
    @Benchmark
    public byte[] encode() {
        return envelope.toJson();
    }

    /** @return the envelope's JSON with a traceparent */
    @Benchmark
    public byte[] encodeTraced() {
        return traced.toJson();
    }

    /** @return the envelope read back from its JSON */
    @Benchmark
    public OutboxEnvelope decode() {
        return EnvelopeDecoder.decode(json);
    }

    /** @return the envelope read back and validated, as the relay does before publishing */
    @Benchmark
    public OutboxEnvelope decodeAndValidate() {
        return EnvelopeDecoder.decode(json).validate();
    }
}
