package studio.lerian.streaming.cdi.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.OtelCapture;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * Spec section 12 with the application's {@code OpenTelemetry} bean and a real broker: each emit is counted once with
 * its outcome and topic, timed in millisecond buckets when it passed validation, and traced by a PRODUCER span whose
 * context the Kafka record carries after its CloudEvents headers; no metric carries a tenant. The source topic refuses
 * records over 1000 bytes, which sends large events to the DLQ.
 */
class EmitTelemetryTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final List<Long> MS_BUCKETS = List.of(1L, 2L, 5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L,
            2_500L, 5_000L, 10_000L, 30_000L, 60_000L);

    private static KafkaBroker broker;

    private OtelCapture otel;
    private StreamingContainer app;

    @BeforeAll
    static void startBroker() {
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "1000"));
        broker.createTopic(TOPIC + ".dlq", 1, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void startApp() {
        otel = OtelCapture.start();
        app = StreamingContainer.start(Fixture.config(broker.bootstrap()), Fixture.Definitions.class,
                OtelCapture.Producer.class);
    }

    @AfterEach
    void noMetricEverCarriesATenant() {
        try {
            otel.assertNoTenantLabel();
        } finally {
            app.close();
            otel.close();
        }
    }

    private static Attributes emitted(String topic, String outcome) {
        return Attributes.of(AttributeKey.stringKey("topic"), topic, AttributeKey.stringKey("operation"), "send",
                AttributeKey.stringKey("outcome"), outcome);
    }

    private static Attributes timed(String topic, String outcome) {
        return Attributes.of(AttributeKey.stringKey("topic"), topic, AttributeKey.stringKey("outcome"), outcome);
    }

    @Test
    void producedEmitIsCountedTimedAndTracedAndItsRecordCarriesTheSpan() {
        String eventId = "0190abcd-ef01-7890-abcd-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        app.emitter().emit(EmitRequest.builder("transaction.created").tenantId("t-abc").subject("tx-123")
                .eventId(eventId).payload("{\"amount\":100}").build());

        assertEquals(1, otel.count("streaming_emitted_total", emitted(TOPIC, "produced")));
        assertEquals(1, otel.total("streaming_emitted_total"), "one emit, one count");
        otel.assertLabelNames("streaming_emitted_total", Set.of("topic", "operation", "outcome"));
        HistogramPointData took = otel.histogram("streaming_emit_duration_ms", timed(TOPIC, "produced"))
                .orElseThrow();
        assertEquals(1, took.getCount());
        assertEquals(MS_BUCKETS, took.getBoundaries().stream().map(Double::longValue).toList(),
                "explicit millisecond buckets");
        assertEquals("ms", otel.metric("streaming_emit_duration_ms").orElseThrow().getUnit());

        SpanData span = single(otel.spans("streaming.emit"));
        assertEquals(SpanKind.PRODUCER, span.getKind());
        Attributes a = span.getAttributes();
        assertEquals("kafka", a.get(AttributeKey.stringKey("messaging.system")));
        assertEquals(TOPIC, a.get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals("send", a.get(AttributeKey.stringKey("messaging.operation.type")));
        assertEquals("", a.get(AttributeKey.stringKey("messaging.client.id")), "STREAMING_CLIENT_ID is not set");
        assertEquals("transaction", a.get(AttributeKey.stringKey("event.resource_type")));
        assertEquals("created", a.get(AttributeKey.stringKey("event.event_type")));
        assertEquals("transaction.created", a.get(AttributeKey.stringKey("event.definition_key")));
        assertEquals("t-abc", a.get(AttributeKey.stringKey("tenant.id")));
        assertEquals(((KafkaEmitter) app.emitter()).producerId(),
                a.get(AttributeKey.stringKey("streaming.producer_id")));
        assertEquals(true, a.get(AttributeKey.booleanKey("event.delivery_enabled")));
        assertEquals("direct", a.get(AttributeKey.stringKey("event.direct_mode")));
        assertEquals("fallback_on_circuit_open", a.get(AttributeKey.stringKey("event.outbox_mode")));
        assertEquals("on_routable_failure", a.get(AttributeKey.stringKey("event.dlq_mode")));
        assertEquals("produced", a.get(AttributeKey.stringKey("event.outcome")));
        assertEquals(null, a.get(AttributeKey.stringKey("error.type")));

        ConsumerRecord<byte[], byte[]> record = broker.consume(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(5))
                .stream().filter(r -> eventId.equals(header(r, "ce-id"))).findFirst().orElseThrow();
        List<String> names = new ArrayList<>();
        record.headers().forEach(h -> names.add(h.key()));
        assertEquals(12, names.size(), "11 CloudEvents headers, then traceparent: " + names);
        assertTrue(names.subList(0, 11).stream().allMatch(n -> n.startsWith("ce-")), names.toString());
        assertEquals("traceparent", names.get(11), "appended after the CloudEvents headers");
        assertEquals("00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getSpanContext().getTraceFlags().asHex(), header(record, "traceparent"));
        assertTrue(span.getSpanContext().isSampled());
    }

    @Test
    void callerErrorsAreCountedWithTheTopicTheyResolvedToAndHaveNoSpan() {
        StreamingException unknown = assertThrows(StreamingException.class, () -> app.emitter().emit(
                EmitRequest.builder("no.such.event").tenantId("t-abc").payload("{}").build()));
        assertEquals(ErrorCode.UNKNOWN_EVENT_DEFINITION, unknown.code());
        StreamingException notJson = assertThrows(StreamingException.class, () -> app.emitter().emit(
                EmitRequest.builder("transaction.created").tenantId("t-abc").payload("not json").build()));
        assertEquals(ErrorCode.NOT_JSON, notJson.code());

        assertEquals(1, otel.count("streaming_emitted_total", emitted("__unresolved__", "caller_error")));
        assertEquals(1, otel.count("streaming_emitted_total", emitted(TOPIC, "caller_error")));
        assertEquals(2, otel.total("streaming_emitted_total"));
        assertTrue(otel.metric("streaming_emit_duration_ms").isEmpty(), "no duration before the span");
        assertTrue(otel.spans().isEmpty(), "no span for a request that failed validation: " + otel.spans());
    }

    @Test
    void recordRefusedForItsSizeGoesToTheDlqAndIsCountedAsDlq() {
        byte[] large = ("{\"blob\":\"" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2048)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        EmitException failure = assertThrows(EmitException.class, () -> app.emitter().emit(
                EmitRequest.builder("transaction.created").tenantId("t-abc").payload(large).build()));
        assertEquals(ErrorClass.SERIALIZATION_ERROR, failure.errorClass());

        assertEquals(1, otel.count("streaming_emitted_total", emitted(TOPIC, "dlq")));
        assertEquals(1, otel.total("streaming_emitted_total"));
        assertEquals(1, otel.count("streaming_dlq_total", Attributes.of(AttributeKey.stringKey("topic"), TOPIC,
                AttributeKey.stringKey("error_class"), "serialization_error")));
        assertEquals(0, otel.total("streaming_dlq_publish_failed_total"));
        assertEquals(1, otel.histogram("streaming_emit_duration_ms", timed(TOPIC, "dlq")).orElseThrow().getCount());

        SpanData span = single(otel.spans("streaming.emit"));
        assertEquals("dlq", span.getAttributes().get(AttributeKey.stringKey("event.outcome")));
        assertEquals("serialization_error", span.getAttributes().get(AttributeKey.stringKey("error.type")));
        assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, span.getStatus().getStatusCode());
        assertFalse(span.getEvents().isEmpty(), "the failure is on the span");
    }

    @Test
    void aBatchIsCountedTimedAndTracedPerRequestEachRecordCarryingItsOwnSpan() {
        byte[] large = ("{\"blob\":\"" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2048)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        List<EmitRequest> batch = List.of(
                EmitRequest.builder("transaction.created").tenantId("t-a").eventId("0190abcd-ef01-7890-abcd-" + run)
                        .payload("{}").build(),
                EmitRequest.builder("transaction.created").tenantId("t-b").payload(large).build(),
                EmitRequest.builder("transaction.created").tenantId("t-c").payload("{}").build());
        studio.lerian.streaming.BatchEmitException failed = assertThrows(
                studio.lerian.streaming.BatchEmitException.class, () -> app.emitter().emitAll(batch));

        assertEquals(2, otel.count("streaming_emitted_total", emitted(TOPIC, "produced")), failed.getMessage());
        assertEquals(1, otel.count("streaming_emitted_total", emitted(TOPIC, "dlq")));
        assertEquals(3, otel.total("streaming_emitted_total"), "one count per request");
        assertEquals(2, otel.histogram("streaming_emit_duration_ms", timed(TOPIC, "produced")).orElseThrow()
                .getCount());
        List<SpanData> spans = otel.spans("streaming.emit");
        assertEquals(3, spans.size(), "one span per request: " + spans);
        assertEquals(Set.of("t-a", "t-b", "t-c"), Set.copyOf(spans.stream()
                .map(s -> s.getAttributes().get(AttributeKey.stringKey("tenant.id"))).toList()));
        Set<String> spanIds = Set.copyOf(spans.stream().map(SpanData::getSpanId).toList());
        assertTrue(spans.stream().noneMatch(s -> spanIds.contains(s.getParentSpanId())),
                "siblings, none the parent of another");
        assertFalse(io.opentelemetry.api.trace.Span.current().getSpanContext().isValid(),
                "the caller's context is as it was");
        SpanData first = spans.stream().filter(s -> "t-a".equals(s.getAttributes()
                .get(AttributeKey.stringKey("tenant.id")))).findFirst().orElseThrow();
        assertEquals("produced", first.getAttributes().get(AttributeKey.stringKey("event.outcome")));
        ConsumerRecord<byte[], byte[]> record = broker.consume(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(5))
                .stream().filter(r -> ("0190abcd-ef01-7890-abcd-" + run).equals(header(r, "ce-id"))).findFirst()
                .orElseThrow();
        assertEquals("00-" + first.getTraceId() + "-" + first.getSpanId() + "-"
                + first.getSpanContext().getTraceFlags().asHex(), header(record, "traceparent"));

        assertThrows(studio.lerian.streaming.BatchEmitException.class, () -> app.emitter().emitAll(List.of(
                EmitRequest.builder("transaction.created").tenantId("t-a").payload("{}").build(),
                EmitRequest.builder("transaction.created").tenantId("t-a").payload("not json").build())));
        assertEquals(2, otel.count("streaming_emitted_total", emitted(TOPIC, "caller_error")),
                "a refused batch: each request counted as the caller's error, the valid one too");
        assertEquals(3, otel.spans("streaming.emit").size(), "and no span");
    }

    private static SpanData single(List<SpanData> spans) {
        assertEquals(1, spans.size(), spans.toString());
        return spans.get(0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
