package studio.lerian.streaming.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.support.Golden;

/** Golden vectors G6 and G7: the outbox envelope Go and Java relays share, byte for byte. */
class OutboxEnvelopeTest {

    static ResolvedEvent fixture(String payload) {
        return ResolvedEvent.builder()
                .tenantId("t-abc").resourceType("transaction").eventType("created")
                .eventId("0190abcd-ef01-7890-abcd-ef0123456789").schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .source("//lerian.midaz/transaction-service").subject("tx-123")
                .dataContentType("application/json").payload(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void aggregateIdsAreUuid5OfThePartitionKey() {
        for (String[] row : Golden.rows("g6-aggregate-ids.csv", 2)) {
            assertEquals(UUID.fromString(row[1]), AggregateIds.nameBased(row[0]), "key \"" + row[0] + "\"");
        }
    }

    @Test
    void systemEventsGetARandomAggregateId() {
        ResolvedEvent system = fixture("{}").toBuilder().systemEvent(true).build();
        assertNotEquals(AggregateIds.of(system), AggregateIds.of(system));
    }

    @Test
    void fixtureEnvelopeIsTheGoLibrarysJsonByteForByte() throws IOException {
        OutboxEnvelope envelope = OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(),
                fixture("{\"amount\":100}"));
        assertArrayEquals(golden("g7-envelope.json"), envelope.toJson(),
                () -> new String(envelope.toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void traceCarrierFollowsTheEventAndIsOmittedWhenEmpty() throws IOException {
        OutboxEnvelope plain = OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(),
                fixture("{\"amount\":100}"));
        assertArrayEquals(golden("g7-envelope.json"), plain.withTraceCarrier(java.util.Map.of()).toJson(),
                "an empty carrier leaves G7 exact");
        String g7 = new String(golden("g7-envelope.json"), StandardCharsets.UTF_8).strip();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        java.util.Map<String, String> carrier = new java.util.LinkedHashMap<>();
        carrier.put("tracestate", "congo=t61rcWkgMzE");
        carrier.put("traceparent", traceparent);
        carrier.put("baggage", "not=kept");
        OutboxEnvelope traced = plain.withTraceCarrier(carrier);
        assertEquals(g7.substring(0, g7.length() - 1) + ",\"trace_carrier\":{\"traceparent\":\"" + traceparent
                + "\",\"tracestate\":\"congo=t61rcWkgMzE\"}}",
                new String(traced.toJson(), StandardCharsets.UTF_8), "Go's encoder: sorted keys, after event");
        assertEquals(java.util.List.of("traceparent", "tracestate"),
                java.util.List.copyOf(traced.traceCarrier().keySet()));
        assertTrue(plain.withTraceCarrier(java.util.Map.of("tracestate", "a=b")).traceCarrier().isEmpty(),
                "no traceparent, no carrier");
        assertTrue(plain.withTraceCarrier(java.util.Map.of("traceparent", "x".repeat(513))).traceCarrier()
                .isEmpty(), "over 512 characters is dropped");
    }

    @Test
    void payloadIsCompactedWithGoHtmlEscapingAndKeptVerbatimOtherwise() {
        OutboxEnvelope envelope = OutboxEnvelope.of("", DeliveryPolicy.defaults(),
                fixture("{ \"a\" : \"<b>&\\u0041\u2028\" ,\n \"n\": 1.50e3 }"));
        String json = new String(envelope.toJson(), StandardCharsets.UTF_8);
        String payload = json.substring(json.indexOf("\"Payload\":") + 10, json.length() - 2);
        assertEquals("{\"a\":\"\\u003cb\\u003e\\u0026\\u0041\\u2028\",\"n\":1.50e3}", payload);
    }

    @Test
    void emptyDefinitionKeyIsOmittedAndStringsAreGoEscaped() {
        ResolvedEvent event = fixture("null").toBuilder().subject("a\"b\\c\n<&>\u0001").build();
        String json = new String(OutboxEnvelope.of("", DeliveryPolicy.defaults(), event).toJson(),
                StandardCharsets.UTF_8);
        assertEquals(-1, json.indexOf("definition_key"));
        assertEquals(true, json.contains("\"Subject\":\"a\\\"b\\\\c\\n\\u003c\\u0026\\u003e\\u0001\""), json);
    }

    @Test
    void outboxAlwaysPolicyIsWrittenAsResolved() {
        DeliveryPolicy always = DeliveryPolicy.builder().outbox(OutboxMode.ALWAYS).build();
        String json = new String(OutboxEnvelope.of("transaction.created", always, fixture("{}")).toJson(),
                StandardCharsets.UTF_8);
        assertEquals(true, json.contains(
                "\"policy\":{\"enabled\":true,\"direct\":\"direct\",\"outbox\":\"always\",\"dlq\":\"on_routable_failure\"}"));
    }

    @Test
    void aTamperedTopicIsRefusedSoARowCannotRedirectItsEvent() {
        OutboxEnvelope tampered = OutboxEnvelope.read(1, "lerian.streaming.transaction.updated", "transaction.created",
                AggregateIds.nameBased("t-abc"), DeliveryPolicy.defaults(), fixture("{}"));
        StreamingException e = assertThrows(StreamingException.class, tampered::validate);
        assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE, e.code());
        assertEquals("streaming: invalid outbox envelope: outbox envelope topic \"lerian.streaming.transaction.updated\""
                + " does not match event topic \"lerian.streaming.transaction.created\"", e.getMessage());
    }

    @Test
    void anUnknownVersionIsRefused() {
        OutboxEnvelope v2 = OutboxEnvelope.read(2, "lerian.streaming.transaction.created", "", AggregateIds
                .nameBased("t-abc"), DeliveryPolicy.defaults(), fixture("{}"));
        StreamingException e = assertThrows(StreamingException.class, v2::validate);
        assertEquals(ErrorCode.UNSUPPORTED_OUTBOX_ENVELOPE_VERSION, e.code());
        assertEquals("streaming: unsupported outbox envelope version: 2", e.getMessage());
    }

    @Test
    void aZeroAggregateIdIsRefused() {
        OutboxEnvelope zero = OutboxEnvelope.read(1, "lerian.streaming.transaction.created", "", new UUID(0, 0),
                DeliveryPolicy.defaults(), fixture("{}"));
        assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE,
                assertThrows(StreamingException.class, zero::validate).code());
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = OutboxEnvelopeTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        }
    }
}
