package studio.lerian.streaming.core.internal.telemetry;

import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/** Telemetry that records nothing and allocates nothing: what runs without OpenTelemetry. */
final class NoopTelemetry implements Telemetry {

    /** The one span handle: stateless. */
    private static final NoopSpan SPAN = new NoopSpan();

    @Override
    public void emitted(String topic, Outcome outcome) {
    }

    @Override
    public EmitSpan startEmit(String definitionKey, ResolvedEvent event, DeliveryPolicy policy) {
        return SPAN;
    }

    @Override
    public EmitSpan startEmitInBatch(String definitionKey, ResolvedEvent event, DeliveryPolicy policy) {
        return SPAN;
    }

    @Override
    public void dlqWritten(String topic, ErrorClass errorClass) {
    }

    @Override
    public void dlqFailed(String topic) {
    }

    @Override
    public RelaySpan startRelay(OutboxEnvelope envelope, String rowId) {
        return SPAN;
    }

    @Override
    public void relayPublished(String topic) {
    }

    @Override
    public void relayFailed(String topic, ErrorClass errorClass) {
    }

    @Override
    public void relayInvalid() {
    }

    @Override
    public void observe(IntSupplier circuitState, Supplier<OutboxBacklog> backlog) {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "NoopTelemetry";
    }

    private static final class NoopSpan implements EmitSpan, RelaySpan {

        @Override
        public void inject(Headers headers) {
        }

        @Override
        public Map<String, String> carrier() {
            return Map.of();
        }

        @Override
        public void routed(OutboxReason reason) {
        }

        @Override
        public void end(Outcome outcome, ErrorClass errorClass, Throwable failure) {
        }

        @Override
        public void end(Throwable failure) {
        }
    }
}
