package studio.lerian.streaming.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.DirectMode;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.StreamingEngine;
import studio.lerian.streaming.spi.OutboxWriter;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * The library's own CPU cost of one {@code emit}, without Kafka: the real emitter ({@link StreamingEngine}, the engine
 * the CDI module runs) for an event whose policy is {@code outbox=always}, with an outbox writer that only keeps the
 * envelope. Each call runs the whole pipeline up to the I/O: the request build, catalog lookup, policy resolution,
 * tenant check, JSON validity check, UUIDv7 id and timestamp defaults, the resolved event, the envelope and its
 * validation, and the (no-op) telemetry. Not measured: framing (see {@link FramingBenchmark}), the envelope's JSON (see
 * {@link EnvelopeBenchmark}) and the Kafka client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EmitPipelineBenchmark {

    private final byte[] payload = Fixtures.KIB_JSON;
    private final byte[] notJson = "{\"amount\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private StreamingEngine emitter;
    private final KeepingWriter writer = new KeepingWriter();

    /** Keeps the last envelope, so that the pipeline's result is not dead code. */
    static final class KeepingWriter implements OutboxWriter {
        volatile OutboxEnvelope last;

        @Override
        public void write(OutboxEnvelope envelope) {
            last = envelope;
        }

        @Override
        public void writeAll(java.util.List<OutboxEnvelope> envelopes) {
            if (!envelopes.isEmpty()) {
                last = envelopes.get(envelopes.size() - 1);
            }
        }
    }

    /** Builds the engine from settings, as a plain Java application does (the breaker is never asked on this path). */
    @Setup
    public void setUp() {
        Map<String, String> props = new HashMap<>();
        props.put(ConfigKey.ENABLED.property(), "true");
        // Never contacted: this policy never reaches the producer, which connects lazily.
        props.put(ConfigKey.BROKERS.property(), "127.0.0.1:9");
        props.put(ConfigKey.CLOUDEVENTS_SOURCE.property(), Fixtures.SOURCE);
        props.put(ConfigKey.OUTBOX_RELAY_ENABLED.property(), "false");
        Catalog catalog = Catalog.of(Fixtures.definition(DeliveryPolicy.of(true, DirectMode.SKIP, OutboxMode.ALWAYS,
                DlqMode.NEVER)));
        emitter = StreamingEngine.builder().settings(props).catalog(catalog).outbox(writer, null).build();
    }

    /** Closes the emitter. */
    @TearDown
    public void tearDown() {
        emitter.close();
    }

    /** @return the envelope the emit parked */
    @Benchmark
    public OutboxEnvelope buildAndEmit() {
        emitter.emit(EmitRequest.builder(Fixtures.KEY)
                .tenantId(Fixtures.TENANT)
                .subject("pay_8f3a2c")
                .payload(payload)
                .build());
        return writer.last;
    }

    /** @return the rejection of a payload that is not JSON: the cost of a caller error, exception included */
    @Benchmark
    public Object rejectNotJson() {
        try {
            emitter.emit(EmitRequest.builder(Fixtures.KEY).tenantId(Fixtures.TENANT).payload(notJson).build());
            throw new IllegalStateException("accepted a payload that is not JSON");
        } catch (StreamingException expected) {
            return expected;
        }
    }
}
