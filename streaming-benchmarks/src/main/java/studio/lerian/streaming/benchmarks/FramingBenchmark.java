package studio.lerian.streaming.benchmarks;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.kafka.RecordFramer;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Framing a resolved event (~1 KiB payload) as the Kafka record in each {@code STREAMING_CLOUDEVENTS_FORMAT}: topic,
 * key and headers, plus the CloudEvents SDK's serializer for the two Kafka-binding formats.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FramingBenchmark {

    /** The record format, as configured. */
    @Param({"lerian", "kafka-binary", "kafka-structured"})
    public String format;

    /**
     * Whether the definition's constant headers are shared between records, as the emitter does when the application
     * configures no producer interceptor ({@code lerian} format only; the binding formats frame through the SDK).
     */
    @Param({"true", "false"})
    public boolean sharedHeaders;

    private RecordFramer framer;
    private ResolvedEvent event;

    /** Builds the framer once, as the emitter does. */
    @Setup
    public void setUp() {
        framer = new RecordFramer(RecordFormat.fromWire(format).orElseThrow(), sharedHeaders);
        event = Fixtures.event();
    }

    /** @return the framed record */
    @Benchmark
    public ProducerRecord<byte[], byte[]> frame() {
        return framer.frame(event);
    }
}
