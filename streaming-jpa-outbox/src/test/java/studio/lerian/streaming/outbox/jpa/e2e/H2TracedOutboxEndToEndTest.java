package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.OtelCapture;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * An {@code outbox=always} emit through the real JPA outbox on H2 and a real broker, seen through OpenTelemetry: the
 * emit counts as {@code outboxed}, its span records the {@code outbox.routed} event, the relay's
 * {@code streaming.relay} span continues the emit's trace (as its child) and the published record carries the relay
 * span's context; the relay counts the row as published and the backlog gauges return to 0. No metric carries a
 * tenant.
 */
class H2TracedOutboxEndToEndTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";

    private TestDatabase db;
    private KafkaBroker broker;
    private OtelCapture otel;
    private StreamingContainer app;

    @BeforeEach
    void start() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
        OutboxApplication.unit = db.factory();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
        otel = OtelCapture.start();
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.event.policies", "transaction.created.outbox=always");
        config.put("streaming.outbox.poll.interval.ms", "100");
        app = StreamingContainer.start(config, Fixture.Definitions.class, OutboxApplication.class,
                OtelCapture.Producer.class);
    }

    @AfterEach
    void stop() throws SQLException {
        try {
            otel.assertNoTenantLabel();
        } finally {
            app.close();
            otel.close();
            broker.close();
            OutboxApplication.unit.close();
            db.close();
        }
    }

    @Test
    void relayedEventContinuesTheEmitsTrace() {
        app.emitter().emit(EmitRequest.builder("transaction.created").tenantId("t-traced").subject("tx-1")
                .payload("{\"amount\":1}").build());

        Attributes outboxed = Attributes.of(AttributeKey.stringKey("topic"), TOPIC,
                AttributeKey.stringKey("operation"), "send", AttributeKey.stringKey("outcome"), "outboxed");
        assertEquals(1, otel.count("streaming_emitted_total", outboxed));
        assertEquals(1, otel.count("streaming_outbox_routed_total", Attributes.of(AttributeKey.stringKey("topic"),
                TOPIC, AttributeKey.stringKey("reason"), "policy_always")));
        SpanData emit = otel.spans("streaming.emit").get(0);
        assertEquals("outboxed", emit.getAttributes().get(AttributeKey.stringKey("event.outcome")));
        assertEquals("always", emit.getAttributes().get(AttributeKey.stringKey("event.outbox_mode")));
        EventData routed = emit.getEvents().stream().filter(e -> e.getName().equals("outbox.routed")).findFirst()
                .orElseThrow(() -> new AssertionError("no outbox.routed event: " + emit.getEvents()));
        assertEquals("policy_always", routed.getAttributes().get(AttributeKey.stringKey("reason")));

        await("the relay publishes the row").atMost(Duration.ofSeconds(30))
                .until(() -> otel.total("streaming_outbox_published_total") == 1);
        assertEquals(1, otel.count("streaming_outbox_published_total",
                Attributes.of(AttributeKey.stringKey("topic"), TOPIC)));
        await("the backlog gauges follow").atMost(Duration.ofSeconds(10))
                .until(() -> otel.gauge("streaming_outbox_backlog").orElse(-1L) == 0
                        && otel.gauge("streaming_outbox_oldest_pending_age_s").orElse(-1L) == 0);

        List<SpanData> relays = otel.spans("streaming.relay");
        assertEquals(1, relays.size(), relays.toString());
        SpanData relay = relays.get(0);
        assertEquals(SpanKind.PRODUCER, relay.getKind());
        assertEquals(emit.getTraceId(), relay.getTraceId(), "the relay continues the emit's trace");
        assertEquals(emit.getSpanId(), relay.getParentSpanId(), "as a child of the emit's span");
        assertEquals(TOPIC, relay.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));

        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, 1, Duration.ofSeconds(10));
        assertEquals(1, records.size());
        String traceparent = header(records.get(0), "traceparent");
        assertEquals("00-" + relay.getTraceId() + "-" + relay.getSpanId() + "-"
                + relay.getSpanContext().getTraceFlags().asHex(), traceparent);
        assertTrue(header(records.get(0), "ce-id") != null);
        assertEquals(0, otel.total("streaming_outbox_failed_total"));
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
