package studio.lerian.streaming.core.internal.telemetry;

import java.util.function.IntSupplier;
import java.util.function.Supplier;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The library's metrics and traces (spec section 12), behind an interface so that nothing outside
 * {@link OtelTelemetry} touches the OpenTelemetry API, which an application may not have. {@link #NOOP} when it has
 * none. No method takes a tenant for a metric: the tenant goes on spans only. Implementations are thread-safe.
 */
public interface Telemetry extends AutoCloseable {

    /** Records nothing. */
    Telemetry NOOP = new NoopTelemetry();

    /** The topic label of an emit that did not resolve to a topic: {@value}. */
    String UNRESOLVED_TOPIC = "__unresolved__";

    /**
     * Counts an emit that ended before its span: a rejected request or a closed emitter. No duration, no span.
     *
     * @param topic the resolved topic, or {@link #UNRESOLVED_TOPIC}
     * @param outcome the outcome
     */
    void emitted(String topic, Outcome outcome);

    /**
     * Starts the span of an emit that passed validation; end it with {@link EmitSpan#end}.
     *
     * @param definitionKey the catalog key
     * @param event the event with defaults applied
     * @param policy the resolved policy
     * @return the emit's span
     */
    EmitSpan startEmit(String definitionKey, ResolvedEvent event, DeliveryPolicy policy);

    /**
     * Starts the span of one request of an {@code emitAll} batch: as {@link #startEmit}, but the span is not made
     * current, so that the spans of a batch are siblings under the caller's current span (each would otherwise be the
     * parent of the next) and the caller's context is unchanged when the batch ends.
     *
     * @param definitionKey the catalog key
     * @param event the event with defaults applied
     * @param policy the resolved policy
     * @return the request's span
     */
    EmitSpan startEmitInBatch(String definitionKey, ResolvedEvent event, DeliveryPolicy policy);

    /**
     * A dead-letter copy was acknowledged: {@code streaming_dlq_total}.
     *
     * @param topic the source topic
     * @param errorClass why the original publish failed
     */
    void dlqWritten(String topic, ErrorClass errorClass);

    /**
     * A dead-letter copy failed: {@code streaming_dlq_publish_failed_total}.
     *
     * @param topic the source topic
     */
    void dlqFailed(String topic);

    /**
     * Starts the span of a relayed row, continuing the trace its envelope carries.
     *
     * @param envelope the row's validated envelope
     * @param rowId the row id
     * @return the relay's span
     */
    RelaySpan startRelay(OutboxEnvelope envelope, String rowId);

    /**
     * A relayed row was acknowledged: {@code streaming_outbox_published_total}.
     *
     * @param topic its topic
     */
    void relayPublished(String topic);

    /**
     * A relayed row was given up on (marked FAILED): {@code streaming_outbox_failed_total}.
     *
     * @param topic its topic
     * @param errorClass the last failure's class
     */
    void relayFailed(String topic, ErrorClass errorClass);

    /** A row could not be read or did not validate (marked INVALID): {@code streaming_outbox_invalid_total}. */
    void relayInvalid();

    /**
     * Registers the observable gauges: {@code streaming_circuit_state} and, with an outbox store, the outbox backlog
     * gauges. Called once.
     *
     * @param circuitState 0 closed, 1 half-open, 2 open
     * @param backlog the backlog probe's last counted backlog; {@code null} without an outbox store
     */
    void observe(IntSupplier circuitState, Supplier<OutboxBacklog> backlog);

    /** Unregisters the gauges. Idempotent. */
    @Override
    void close();

    /** Builds the telemetry of one emitter, which knows its producer and client ids. */
    @FunctionalInterface
    interface Provider {

        /** Provides {@link Telemetry#NOOP}. */
        Provider NOOP = (producerId, clientId) -> Telemetry.NOOP;

        /**
         * @param producerId the emitter's producer id
         * @param clientId the Kafka client id, empty for the client's default
         * @return the emitter's telemetry
         */
        Telemetry create(String producerId, String clientId);
    }
}
