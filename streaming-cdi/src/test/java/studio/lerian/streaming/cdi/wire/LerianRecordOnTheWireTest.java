package studio.lerian.streaming.cdi.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.internal.PayloadSerializers;
import studio.lerian.streaming.spi.CatalogProvider;

/**
 * Golden vectors G1 and G2: the record a Go consumer reads, byte for byte, from a real broker. And a typed payload:
 * the record carries the JSON its serializer wrote, as a Go consumer reads any payload.
 */
class LerianRecordOnTheWireTest {

    private static KafkaBroker broker;
    private static StreamingContainer app;

    @BeforeAll
    static void start() {
        broker = new KafkaBroker().start();
        app = StreamingContainer.start(Fixture.config(broker.bootstrap()), Fixture.Definitions.class,
                TypedPayloads.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        broker.close();
    }

    @Test
    void fixtureEventIsTheGoLibrarysRecordByteForByte() {
        app.emitter().emit(EmitRequest.builder("transaction.created")
                .tenantId("t-abc")
                .subject("tx-123")
                .eventId("0190abcd-ef01-7890-abcd-ef0123456789")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .payload("{\"amount\":100}")
                .build());

        ConsumerRecord<byte[], byte[]> record = only(broker.consume("lerian.streaming.transaction.created", 1,
                Duration.ofSeconds(20)));
        assertEquals("t-abc", new String(record.key(), StandardCharsets.UTF_8));
        assertArrayEquals("{\"amount\":100}".getBytes(StandardCharsets.UTF_8), record.value());
        assertEquals(List.of(
                "ce-specversion: 1.0",
                "ce-id: 0190abcd-ef01-7890-abcd-ef0123456789",
                "ce-source: //lerian.midaz/transaction-service",
                "ce-type: studio.lerian.transaction.created",
                "ce-time: 2026-04-18T10:00:00Z",
                "ce-schemaversion: 1.0.0",
                "ce-resourcetype: transaction",
                "ce-eventtype: created",
                "ce-subject: tx-123",
                "ce-datacontenttype: application/json",
                "ce-tenantid: t-abc"), headers(record));
    }

    @Test
    void systemEventIsKeyedByEventTypeOnTheVersionedTopic() {
        app.emitter().emit(EmitRequest.builder("platform.reaper_pass")
                .eventId("0190abcd-ef01-7890-abcd-ef0123456790")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00.123456789Z"))
                .payload("{\"swept\":3}")
                .build());

        ConsumerRecord<byte[], byte[]> record = only(broker.consume("lerian.streaming.platform.reaper_pass.v2", 1,
                Duration.ofSeconds(20)));
        assertEquals("system:reaper_pass", new String(record.key(), StandardCharsets.UTF_8));
        assertEquals(List.of(
                "ce-specversion: 1.0",
                "ce-id: 0190abcd-ef01-7890-abcd-ef0123456790",
                "ce-source: //lerian.midaz/transaction-service",
                "ce-type: studio.lerian.platform.reaper_pass",
                "ce-time: 2026-04-18T10:00:00.123456789Z",
                "ce-schemaversion: 2.1.0",
                "ce-resourcetype: platform",
                "ce-eventtype: reaper_pass",
                "ce-datacontenttype: application/json",
                "ce-dataschema: https://schemas.lerian.test/platform/reaper_pass.json",
                "ce-systemevent: true"), headers(record));
    }

    @Test
    void aTypedPayloadIsTheJsonItsSerializerWroteOnTheWire() throws Exception {
        TransferSettled settled = new TransferSettled("tr-1", 12_345, List.of("debit", "credit"));
        EmitRequest request = EmitRequest.builder("transfer.settled")
                .tenantId("t-abc")
                .eventId("0190abcd-ef01-7890-abcd-ef0123456791")
                .payload(settled)
                .build();
        app.emitter().emit(request);

        ConsumerRecord<byte[], byte[]> record = only(broker.consume("lerian.streaming.transfer.settled", 1,
                Duration.ofSeconds(20)));
        assertArrayEquals(PayloadSerializers.require().toJson(settled), record.value(), "the serializer's bytes");
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("{\"transferId\":\"tr-1\",\"amountCents\":12345,"
                + "\"legs\":[\"debit\",\"credit\"]}"), json.readTree(record.value()));
        assertEquals("ce-datacontenttype: application/json",
                headers(record).stream().filter(h -> h.startsWith("ce-datacontenttype")).findFirst().orElseThrow());
    }

    /** A typed payload, and its definition on a topic of its own (the fixture's topics hold one record each). */
    public record TransferSettled(String transferId, long amountCents, List<String> legs) {
    }

    /** The definition of {@link TransferSettled}. */
    public static class TypedPayloads implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder("transfer.settled").resourceType("transfer").eventType("settled")
                    .build());
        }
    }

    private static ConsumerRecord<byte[], byte[]> only(List<ConsumerRecord<byte[], byte[]>> records) {
        assertEquals(1, records.size(), "records on the topic");
        return records.get(0);
    }

    private static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
        List<String> out = new ArrayList<>();
        for (Header h : record.headers()) {
            out.add(h.key() + ": " + new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
