package studio.lerian.streaming.cdi.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.kafka.StreamingRecordReader;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * {@code streaming.cloudevents.format}: the two CloudEvents Kafka-binding formats are what the official CloudEvents SDK
 * reads, and {@link StreamingRecordReader} reads every format back to the event that was emitted.
 *
 * <p>The fixture's payload is sent here as {@code { "amount" : 100 }} (G1's spaced variant) so that the tests show
 * which formats keep the payload bytes: {@code lerian} and {@code kafka-binary} carry them as the record value
 * unchanged; {@code kafka-structured} embeds a JSON payload as a JSON value inside the {@code application/cloudevents+json}
 * envelope, so it arrives as the same JSON, re-serialised without the insignificant whitespace.
 */
class CloudEventsBindingFormatsOnTheWireTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String EVENT_ID = "0190abcd-ef01-7890-abcd-ef0123456789";
    private static final OffsetDateTime TIME = OffsetDateTime.parse("2026-04-18T10:00:00Z");
    private static final String PAYLOAD = "{ \"amount\" : 100 }";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new KafkaBroker().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void kafkaBinaryRecordIsReadByTheCloudEventsSdkFromCeUnderscoreHeadersAndContentType() {
        ConsumerRecord<byte[], byte[]> record = emitFixture(RecordFormat.KAFKA_BINARY);

        assertEquals("1.0", Records.header(record, "ce_specversion"));
        assertEquals("application/json", Records.header(record, "content-type"));
        assertNull(Records.header(record, "ce-specversion"), "no lerian ce- headers");
        assertNull(Records.header(record, "ce_datacontenttype"), "the binding maps datacontenttype to content-type");
        assertEquals("t-abc", new String(record.key(), StandardCharsets.UTF_8));
        assertArrayEquals(PAYLOAD.getBytes(StandardCharsets.UTF_8), record.value(), "value is the payload, unchanged");

        CloudEvent event = sdkRead(record);
        assertFixtureAttributes(event);
        assertArrayEquals(PAYLOAD.getBytes(StandardCharsets.UTF_8), event.getData().toBytes());
    }

    @Test
    void kafkaStructuredRecordIsOneCloudEventsJsonDocumentTheSdkReads() throws IOException {
        ConsumerRecord<byte[], byte[]> record = emitFixture(RecordFormat.KAFKA_STRUCTURED);

        assertEquals("application/cloudevents+json", Records.header(record, "content-type"));
        assertNull(Records.header(record, "ce_specversion"), "attributes travel in the value, not in headers");
        assertNull(Records.header(record, "ce-specversion"));
        assertEquals("t-abc", new String(record.key(), StandardCharsets.UTF_8));
        Map<?, ?> envelope = JSON.readValue(record.value(), Map.class);
        assertEquals("1.0", envelope.get("specversion"));
        assertEquals(Map.of("amount", 100), envelope.get("data"), "a JSON payload is embedded as JSON, not base64");

        CloudEvent event = sdkRead(record);
        assertFixtureAttributes(event);
        assertEquals(JSON.readTree(PAYLOAD), JSON.readTree(event.getData().toBytes()));
    }

    @Test
    void streamingRecordReaderReadsEveryFormatBackToTheEmittedEvent() throws IOException {
        StreamingRecordReader reader = new StreamingRecordReader();
        ResolvedEvent expected = ResolvedEvent.builder()
                .tenantId("t-abc").resourceType("transaction").eventType("created").eventId(EVENT_ID)
                .schemaVersion("1.0.0").timestamp(TIME).source(Fixture.SOURCE).subject("tx-123")
                .dataContentType("application/json").payload(PAYLOAD.getBytes(StandardCharsets.UTF_8)).build();

        for (RecordFormat format : List.of(RecordFormat.LERIAN, RecordFormat.KAFKA_BINARY)) {
            ConsumerRecord<byte[], byte[]> record = emitFixture(format);
            assertEquals(format, reader.detect(record.headers()));
            assertEquals(expected, reader.read(record.topic(), record.headers(), record.value()),
                    format + " reads back to the same event, payload bytes included");
        }

        ConsumerRecord<byte[], byte[]> structured = emitFixture(RecordFormat.KAFKA_STRUCTURED);
        assertEquals(RecordFormat.KAFKA_STRUCTURED, reader.detect(structured.headers()));
        ResolvedEvent read = reader.read(structured.topic(), structured.headers(), structured.value());
        // Structured mode re-serialises the JSON payload inside its envelope: same JSON, whitespace dropped.
        assertNotEquals(PAYLOAD, new String(read.payload(), StandardCharsets.UTF_8));
        assertEquals(JSON.readTree(PAYLOAD), JSON.readTree(read.payload()));
        assertEquals(expected.toBuilder().payload(null).build(), read.toBuilder().payload(null).build(),
                "every attribute but the payload bytes is the same");
    }

    /**
     * Emits the fixture event with the format and returns its record. Tests share the topic, so the record is found by
     * the format's own marker (each format is emitted once per test method, and the newest record of that format is the
     * one this call wrote).
     */
    private static ConsumerRecord<byte[], byte[]> emitFixture(RecordFormat format) {
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.cloudevents.format", format.wire());
        String marker = "0190abcd-ef01-7890-abcd-" + Long.toHexString(System.nanoTime() & 0xffffffffffffL);
        try (StreamingContainer app = StreamingContainer.start(config, Fixture.Definitions.class)) {
            app.emitter().emit(EmitRequest.builder("transaction.created")
                    .tenantId("t-abc")
                    .subject("tx-123")
                    .eventId(EVENT_ID)
                    .timestamp(TIME)
                    .payload(PAYLOAD)
                    .build());
            // A second event, same key and partition, marks the end of what this call wrote.
            app.emitter().emit(EmitRequest.builder("transaction.created")
                    .tenantId("t-abc").eventId(marker).payload("{}").build());
        }
        StreamingRecordReader reader = new StreamingRecordReader();
        List<ConsumerRecord<byte[], byte[]>> records = Records.readUntil(broker.bootstrap(), TOPIC,
                r -> marker.equals(reader.read(r.topic(), r.headers(), r.value()).eventId()), Duration.ofSeconds(20));
        ConsumerRecord<byte[], byte[]> fixture = records.get(records.size() - 2);
        assertEquals(format, reader.detect(fixture.headers()), "the record before the marker is this call's");
        assertEquals(EVENT_ID, reader.read(fixture.topic(), fixture.headers(), fixture.value()).eventId());
        return fixture;
    }

    private static CloudEvent sdkRead(ConsumerRecord<byte[], byte[]> record) {
        try (CloudEventDeserializer sdk = new CloudEventDeserializer()) {
            sdk.configure(Map.of(), false);
            return sdk.deserialize(record.topic(), record.headers(), record.value());
        }
    }

    private static void assertFixtureAttributes(CloudEvent event) {
        assertEquals(SpecVersion.V1, event.getSpecVersion());
        assertEquals(EVENT_ID, event.getId());
        assertEquals(URI.create(Fixture.SOURCE), event.getSource());
        assertEquals("studio.lerian.transaction.created", event.getType());
        assertTrue(TIME.isEqual(event.getTime()), "time " + event.getTime());
        assertEquals("tx-123", event.getSubject());
        assertEquals("application/json", event.getDataContentType());
        assertNull(event.getDataSchema());
        assertEquals("t-abc", event.getExtension("tenantid"));
        assertEquals("1.0.0", event.getExtension("schemaversion"));
        assertEquals("transaction", event.getExtension("resourcetype"));
        assertEquals("created", event.getExtension("eventtype"));
        assertNull(event.getExtension("systemevent"));
    }
}
