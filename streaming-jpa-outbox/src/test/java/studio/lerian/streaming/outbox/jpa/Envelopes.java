package studio.lerian.streaming.outbox.jpa;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/** Envelopes of test events. */
final class Envelopes {

    private Envelopes() {
    }

    static ResolvedEvent event(String tenant, String payload) {
        return ResolvedEvent.builder()
                .tenantId(tenant).resourceType("transaction").eventType("created")
                .eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .source("//lerian.midaz/transaction-service").subject("tx-123")
                .dataContentType("application/json").payload(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    static OutboxEnvelope of(String tenant) {
        return of(tenant, "{\"amount\":100}");
    }

    static OutboxEnvelope of(String tenant, String payload) {
        return OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(), event(tenant, payload));
    }
}
