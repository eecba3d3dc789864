package studio.lerian.streaming.core.internal.telemetry;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongHistogramBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * {@link Telemetry} through the OpenTelemetry API. The only class that touches it: loaded only when the API is on the
 * class path (see {@link Telemetries}). Instruments are created once; label sets are cached per topic, so an emit
 * allocates its span and little else. Trace context is written with the W3C propagator itself, not the application's
 * configured propagators, so that the record carries exactly {@code traceparent}/{@code tracestate}. Thread-safe.
 */
final class OtelTelemetry implements Telemetry {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** The instrumentation scope of the meter and the tracer. */
    static final String SCOPE = "studio.lerian.streaming";

    /** Bucket boundaries of {@code streaming_emit_duration_ms}, in milliseconds. */
    static final List<Long> DURATION_BUCKETS_MS = List.of(1L, 2L, 5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L,
            2_500L, 5_000L, 10_000L, 30_000L, 60_000L);

    static final AttributeKey<String> TOPIC = AttributeKey.stringKey("topic");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> ERROR_CLASS = AttributeKey.stringKey("error_class");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("messaging.client.id");
    private static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final AttributeKey<String> RESOURCE_TYPE = AttributeKey.stringKey("event.resource_type");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("event.event_type");
    private static final AttributeKey<String> DEFINITION_KEY = AttributeKey.stringKey("event.definition_key");
    private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");
    private static final AttributeKey<String> PRODUCER_ID = AttributeKey.stringKey("streaming.producer_id");
    private static final AttributeKey<Boolean> DELIVERY_ENABLED = AttributeKey.booleanKey("event.delivery_enabled");
    private static final AttributeKey<String> DIRECT_MODE = AttributeKey.stringKey("event.direct_mode");
    private static final AttributeKey<String> OUTBOX_MODE = AttributeKey.stringKey("event.outbox_mode");
    private static final AttributeKey<String> DLQ_MODE = AttributeKey.stringKey("event.dlq_mode");
    private static final AttributeKey<String> EVENT_OUTCOME = AttributeKey.stringKey("event.outcome");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> ROW_ID = AttributeKey.stringKey("streaming.outbox.row_id");
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");

    private static final Attributes NO_LABELS = Attributes.empty();
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapSetter<Headers> HEADERS = (headers, key, value) ->
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    private static final TextMapSetter<Map<String, String>> MAP = Map::put;
    private static final TextMapGetter<Map<String, String>> CARRIER = new TextMapGetter<>() {
        // Implemented although a default method now: older API versions, which some runtimes ship, declare it abstract.
        @Override
        @SuppressWarnings("deprecation")
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final Meter meter;
    private final String producerId;
    private final String clientId;
    private final LongCounter emitted;
    private final LongHistogram duration;
    private final LongCounter dlq;
    private final LongCounter dlqFailed;
    private final LongCounter routed;
    private final LongCounter relayPublished;
    private final LongCounter relayFailed;
    private final LongCounter relayInvalid;
    private final Map<String, Labels> labels = new ConcurrentHashMap<>();
    private final List<ObservableLongGauge> gauges = new ArrayList<>();

    OtelTelemetry(OpenTelemetry otel, String producerId, String clientId) {
        this.tracer = otel.getTracer(SCOPE);
        this.meter = otel.getMeter(SCOPE);
        this.producerId = producerId;
        this.clientId = clientId;
        this.emitted = counter("streaming_emitted_total", "Emits by final outcome, once per emit.");
        this.duration = withBucketAdvice(meter.histogramBuilder("streaming_emit_duration_ms").ofLongs().setUnit("ms")
                .setDescription("Duration of emits that passed validation, by final outcome.")).build();
        this.dlq = counter("streaming_dlq_total", "Dead-letter copies acknowledged by the broker.");
        this.dlqFailed = counter("streaming_dlq_publish_failed_total", "Dead-letter copies that failed.");
        this.routed = counter("streaming_outbox_routed_total", "Events parked in the outbox by an emit.");
        this.relayPublished = counter("streaming_outbox_published_total", "Outbox rows published by the relay.");
        this.relayFailed = counter("streaming_outbox_failed_total", "Outbox rows the relay gave up on (FAILED).");
        this.relayInvalid = counter("streaming_outbox_invalid_total", "Outbox rows the relay refused (INVALID).");
    }

    /**
     * The telemetry source of an application: the container's {@code OpenTelemetry} (a CDI bean, which MicroProfile
     * Telemetry provides), else the global instance when one was set, else none (no-op). The global instance is never forced into
     * existence, so an application that sets it later is not broken by us.
     */
    static Provider provider(Telemetries.ContainerLookup container) {
        OpenTelemetry otel = null;
        String source = "none";
        java.util.Optional<Object> offered = container.find(OpenTelemetry.class);
        if (offered.isPresent()) {
            otel = (OpenTelemetry) offered.get();
            source = "cdi";
        }
        if (otel == null && globalIsSet()) {
            otel = GlobalOpenTelemetry.get();
            source = "global";
        }
        if (otel == null) {
            LOG.log(Level.INFO, "streaming: no OpenTelemetry instance (no CDI bean, no global); metrics and traces"
                    + " are off");
            return Provider.NOOP;
        }
        OpenTelemetry chosen = otel;
        String from = source;
        LOG.log(Level.INFO, () -> LogLine.of("streaming: telemetry through OpenTelemetry").field("source", from).toString());
        return (producerId, clientId) -> new OtelTelemetry(chosen, producerId, clientId);
    }

    /** Whether an application set the global instance; API versions before {@code isSet()} count as not set. */
    private static boolean globalIsSet() {
        try {
            return GlobalOpenTelemetry.isSet();
        } catch (LinkageError olderApi) {
            return false;
        }
    }

    private LongCounter counter(String name, String description) {
        return meter.counterBuilder(name).setUnit("1").setDescription(description).build();
    }

    @Override
    public void emitted(String topic, Outcome outcome) {
        emitted.add(1, labels(topic).emitted.get(outcome));
    }

    @Override
    public EmitSpan startEmit(String definitionKey, ResolvedEvent event, DeliveryPolicy policy) {
        return new OtelEmitSpan(emitSpan(definitionKey, event, policy), labels(event.topic()), true);
    }

    @Override
    public EmitSpan startEmitInBatch(String definitionKey, ResolvedEvent event, DeliveryPolicy policy) {
        return new OtelEmitSpan(emitSpan(definitionKey, event, policy), labels(event.topic()), false);
    }

    private Span emitSpan(String definitionKey, ResolvedEvent event, DeliveryPolicy policy) {
        Span span = tracer.spanBuilder("streaming.emit").setSpanKind(SpanKind.PRODUCER).startSpan();
        if (span.isRecording()) {
            span.setAttribute(MESSAGING_SYSTEM, "kafka");
            span.setAttribute(DESTINATION, event.topic());
            span.setAttribute(OPERATION_TYPE, "send");
            span.setAttribute(CLIENT_ID, clientId);
            span.setAttribute(RESOURCE_TYPE, event.resourceType());
            span.setAttribute(EVENT_TYPE, event.eventType());
            span.setAttribute(DEFINITION_KEY, definitionKey);
            span.setAttribute(TENANT, event.tenantId());
            span.setAttribute(PRODUCER_ID, producerId);
            span.setAttribute(DELIVERY_ENABLED, policy.enabled());
            span.setAttribute(DIRECT_MODE, policy.direct().wire());
            span.setAttribute(OUTBOX_MODE, policy.outbox().wire());
            span.setAttribute(DLQ_MODE, policy.dlq().wire());
            if (LOG.isLoggable(Level.DEBUG)) {
                span.setAttribute(MESSAGE_KEY, event.partitionKey());
            }
        }
        return span;
    }

    @Override
    public void dlqWritten(String topic, ErrorClass errorClass) {
        dlq.add(1, labels(topic).byErrorClass(errorClass));
    }

    @Override
    public void dlqFailed(String topic) {
        dlqFailed.add(1, labels(topic).topic);
    }

    @Override
    public RelaySpan startRelay(OutboxEnvelope envelope, String rowId) {
        Context parent = W3C.extract(Context.root(), envelope.traceCarrier(), CARRIER);
        ResolvedEvent event = envelope.event();
        SpanBuilder builder = tracer.spanBuilder("streaming.relay").setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, envelope.topic())
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(CLIENT_ID, clientId)
                .setAttribute(RESOURCE_TYPE, event.resourceType())
                .setAttribute(EVENT_TYPE, event.eventType())
                .setAttribute(DEFINITION_KEY, envelope.definitionKey())
                .setAttribute(TENANT, event.tenantId())
                .setAttribute(PRODUCER_ID, producerId)
                .setAttribute(ROW_ID, rowId);
        return new OtelRelaySpan(builder.startSpan());
    }

    @Override
    public void relayPublished(String topic) {
        relayPublished.add(1, labels(topic).topic);
    }

    @Override
    public void relayFailed(String topic, ErrorClass errorClass) {
        relayFailed.add(1, labels(topic).byErrorClass(errorClass));
    }

    @Override
    public void relayInvalid() {
        relayInvalid.add(1, NO_LABELS);
    }

    @Override
    public synchronized void observe(IntSupplier circuitState, Supplier<OutboxBacklog> backlog) {
        gauges.add(meter.gaugeBuilder("streaming_circuit_state").ofLongs().setUnit("1")
                .setDescription("The circuit breaker as last observed: 0 closed, 1 half-open, 2 open.")
                .buildWithCallback(m -> m.record(circuitState.getAsInt(), NO_LABELS)));
        if (backlog != null) {
            gauges.add(meter.gaugeBuilder("streaming_outbox_backlog").ofLongs().setUnit("1")
                    .setDescription("Outbox rows not yet published, as of the relay's last poll.")
                    .buildWithCallback(m -> m.record(backlog.get().unpublished(), NO_LABELS)));
            gauges.add(meter.gaugeBuilder("streaming_outbox_oldest_pending_age_s").ofLongs().setUnit("s")
                    .setDescription("Age of the oldest unpublished outbox row, 0 when none.")
                    .buildWithCallback(m -> m.record(backlog.get().oldestCreatedAt()
                            .map(t -> Math.max(0, Duration.between(t, Instant.now()).toSeconds())).orElse(0L),
                            NO_LABELS)));
        }
    }

    @Override
    public synchronized void close() {
        gauges.forEach(ObservableLongGauge::close);
        gauges.clear();
    }

    private Labels labels(String topic) {
        Labels l = labels.get(topic);
        return l != null ? l : labels.computeIfAbsent(topic, Labels::new);
    }

    /** The label sets of one topic, built once: the hot path only looks them up. */
    private static final class Labels {
        final Attributes topic;
        final Map<Outcome, Attributes> emitted = new EnumMap<>(Outcome.class);
        final Map<Outcome, Attributes> duration = new EnumMap<>(Outcome.class);
        final Map<OutboxReason, Attributes> routed = new EnumMap<>(OutboxReason.class);
        final Map<ErrorClass, Attributes> errorClasses = new ConcurrentHashMap<>();

        Labels(String topic) {
            this.topic = Attributes.of(TOPIC, topic);
            for (Outcome o : OUTCOMES) {
                emitted.put(o, Attributes.of(TOPIC, topic, OPERATION, "send", OUTCOME, o.label()));
                duration.put(o, Attributes.of(TOPIC, topic, OUTCOME, o.label()));
            }
            for (OutboxReason r : OutboxReason.values()) {
                routed.put(r, Attributes.of(TOPIC, topic, REASON, r.label()));
            }
        }

        Attributes byErrorClass(ErrorClass errorClass) {
            return errorClasses.computeIfAbsent(errorClass,
                    c -> Attributes.of(TOPIC, topic.get(TOPIC), ERROR_CLASS, c.wire()));
        }
    }

    /** Writes the span's W3C context, when valid, to a record's headers or a carrier map. */
    private static <C> void inject(Span span, C carrier, TextMapSetter<C> setter) {
        if (span.getSpanContext().isValid()) {
            W3C.inject(Context.root().with(span), carrier, setter);
        }
    }

    private static Map<String, String> carrier(Span span) {
        if (!span.getSpanContext().isValid()) {
            return Map.of();
        }
        Map<String, String> carrier = new LinkedHashMap<>(4);
        inject(span, carrier, MAP);
        return carrier;
    }

    private static void failed(Span span, Throwable failure) {
        if (failure != null && span.isRecording()) {
            // Not recordException: its message is not sanitized, and its stack trace is not an operator's concern.
            span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, failure.getClass().getName(),
                    EXCEPTION_MESSAGE, Sanitizer.describe(failure)));
            span.setStatus(StatusCode.ERROR, Sanitizer.describe(failure));
        }
    }

    private final class OtelEmitSpan implements EmitSpan {
        private final Span span;
        private final Scope scope;
        private final Labels topicLabels;
        private final long started = System.nanoTime();

        // The scope is this span's to close: end() closes it, whatever the outcome.
        @SuppressWarnings("MustBeClosedChecker")
        OtelEmitSpan(Span span, Labels topicLabels, boolean current) {
            this.span = span;
            this.topicLabels = topicLabels;
            // Current for a single emit, so that the application's own instrumentation (JDBC in the outbox write,
            // say) nests under it. Not for a batch's spans: each would become the parent of the next.
            this.scope = current ? span.makeCurrent() : Scope.noop();
        }

        @Override
        public void inject(Headers headers) {
            OtelTelemetry.inject(span, headers, HEADERS);
        }

        @Override
        public Map<String, String> carrier() {
            return OtelTelemetry.carrier(span);
        }

        @Override
        public void routed(OutboxReason reason) {
            routed.add(1, topicLabels.routed.get(reason));
            span.addEvent("outbox.routed", Attributes.of(REASON, reason.label()));
        }

        @Override
        public void end(Outcome outcome, ErrorClass errorClass, Throwable failure) {
            try {
                emitted.add(1, topicLabels.emitted.get(outcome));
                duration.record((System.nanoTime() - started) / 1_000_000L, topicLabels.duration.get(outcome));
                if (span.isRecording()) {
                    span.setAttribute(EVENT_OUTCOME, outcome.label());
                    if (errorClass != null) {
                        span.setAttribute(ERROR_TYPE, errorClass.wire());
                    }
                    failed(span, failure);
                }
                span.end();
            } finally {
                scope.close();
            }
        }
    }

    private static final class OtelRelaySpan implements RelaySpan {
        private final Span span;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        OtelRelaySpan(Span span) {
            this.span = span;
        }

        @Override
        public void inject(Headers headers) {
            OtelTelemetry.inject(span, headers, HEADERS);
        }

        @Override
        public Map<String, String> carrier() {
            return OtelTelemetry.carrier(span);
        }

        @Override
        public void end(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                failed(span, failure);
                span.end();
            }
        }
    }

    /**
     * The duration buckets as advice, where the runtime's OpenTelemetry API has it (1.32 and later). Payara 6 ships an
     * older API without the method: the histogram then keeps the SDK's default buckets rather than failing the
     * deployment with a {@link NoSuchMethodError}.
     */
    private static LongHistogramBuilder withBucketAdvice(LongHistogramBuilder builder) {
        try {
            return builder.setExplicitBucketBoundariesAdvice(DURATION_BUCKETS_MS);
        } catch (NoSuchMethodError olderApi) {
            return builder;
        }
    }
}
