package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/** Reading envelopes written by this library and by the Go library (golden vector G7). */
class EnvelopeDecoderTest {

    /** G7, as the Go library writes it. */
    static final String G7 = "{\"version\":1,\"topic\":\"lerian.streaming.transaction.created\",\"definition_key\":"
            + "\"transaction.created\",\"aggregate_id\":\"385a8e68-6718-5540-8678-d68cc9207562\",\"policy\":{"
            + "\"enabled\":true,\"direct\":\"direct\",\"outbox\":\"fallback_on_circuit_open\",\"dlq\":"
            + "\"on_routable_failure\"},\"event\":{\"TenantID\":\"t-abc\",\"ResourceType\":\"transaction\","
            + "\"EventType\":\"created\",\"EventID\":\"0190abcd-ef01-7890-abcd-ef0123456789\",\"SchemaVersion\":"
            + "\"1.0.0\",\"Timestamp\":\"2026-04-18T10:00:00Z\",\"Source\":\"//lerian.midaz/transaction-service\","
            + "\"Subject\":\"tx-123\",\"DataContentType\":\"application/json\",\"DataSchema\":\"\",\"SystemEvent\":"
            + "false,\"Payload\":{\"amount\":100}}}";

    @Test
    void aGoWrittenEnvelopeDecodesToTheFixtureEvent() {
        OutboxEnvelope e = EnvelopeDecoder.decode(G7.getBytes(StandardCharsets.UTF_8)).validate();
        assertEquals("lerian.streaming.transaction.created", e.topic());
        assertEquals("transaction.created", e.definitionKey());
        assertEquals(UUID.fromString("385a8e68-6718-5540-8678-d68cc9207562"), e.aggregateId());
        assertEquals(DeliveryPolicy.defaults(), e.policy());
        ResolvedEvent ev = e.event();
        assertEquals("t-abc", ev.tenantId());
        assertEquals("0190abcd-ef01-7890-abcd-ef0123456789", ev.eventId());
        assertEquals(OffsetDateTime.parse("2026-04-18T10:00:00Z"), ev.timestamp());
        assertEquals("//lerian.midaz/transaction-service", ev.source());
        assertEquals("tx-123", ev.subject());
        assertFalse(ev.systemEvent());
        assertArrayEquals("{\"amount\":100}".getBytes(StandardCharsets.UTF_8), ev.payload());
    }

    @Test
    void decodingThenEncodingGivesBackTheSameBytes() {
        byte[] g7 = G7.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(g7, EnvelopeDecoder.decode(g7).toJson());
    }

    @Test
    void aTraceCarrierIsReadAndWrittenBackAndABadOneIsIgnored() {
        String traced = G7.substring(0, G7.length() - 1) + ",\"trace_carrier\":{\"traceparent\":"
                + "\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}}";
        OutboxEnvelope e = EnvelopeDecoder.decode(traced.getBytes(StandardCharsets.UTF_8)).validate();
        assertEquals(java.util.Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                e.traceCarrier());
        assertEquals(traced, new String(e.toJson(), StandardCharsets.UTF_8));
        assertEquals("t-abc", e.event().tenantId());

        String odd = G7.substring(0, G7.length() - 1) + ",\"trace_carrier\":[1,{\"a\":2}]}";
        OutboxEnvelope ignored = EnvelopeDecoder.decode(odd.getBytes(StandardCharsets.UTF_8)).validate();
        assertTrue(ignored.traceCarrier().isEmpty(), "trace context is best effort, never a reason to refuse a row");
        assertArrayEquals(G7.getBytes(StandardCharsets.UTF_8), ignored.toJson());
    }

    @Test
    void keysMatchCaseInsensitivelyAsGosDecoderDoes() {
        String shouty = G7.replace("\"TenantID\"", "\"tenantid\"").replace("\"topic\"", "\"TOPIC\"");
        assertEquals("t-abc", EnvelopeDecoder.decode(shouty.getBytes(StandardCharsets.UTF_8)).event().tenantId());
    }

    @Test
    void scalarAndStringPayloadsAreTakenVerbatim() {
        for (String payload : new String[] {"42", "\"x\\u0041\"", "null", "[1,{\"a\":[]}]"}) {
            String json = G7.replace("\"Payload\":{\"amount\":100}", "\"Payload\":" + payload);
            assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8),
                    EnvelopeDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().payload(), payload);
        }
    }

    @Test
    void aTamperedTopicIsRefusedOnReplay() {
        String tampered = G7.replace("\"topic\":\"lerian.streaming.transaction.created\"",
                "\"topic\":\"lerian.streaming.transaction.updated\"");
        OutboxEnvelope e = EnvelopeDecoder.decode(tampered.getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE, assertThrows(StreamingException.class, e::validate).code());
    }

    @Test
    void versionTwoAndAZeroAggregateIdAreRefusedOnReplay() {
        OutboxEnvelope v2 = EnvelopeDecoder.decode(G7.replace("\"version\":1", "\"version\":2")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.UNSUPPORTED_OUTBOX_ENVELOPE_VERSION,
                assertThrows(StreamingException.class, v2::validate).code());
        OutboxEnvelope zero = EnvelopeDecoder.decode(G7.replace("385a8e68-6718-5540-8678-d68cc9207562",
                "00000000-0000-0000-0000-000000000000").getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE, assertThrows(StreamingException.class, zero::validate).code());
    }

    @Test
    void garbageIsAnInvalidEnvelope() {
        for (String junk : new String[] {"", "[]", "{\"version\":1}", "{\"event\":{}}", "not json",
            G7.replace("\"direct\":\"direct\"", "\"direct\":\"sideways\"")}) {
            StreamingException e = assertThrows(StreamingException.class,
                    () -> EnvelopeDecoder.decode(junk.getBytes(StandardCharsets.UTF_8)), junk);
            assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE, e.code(), junk);
        }
    }
}
