package studio.lerian.streaming.cdi.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * Golden vector G8 and spec section 9: a record the broker or the client refuses for its size reaches
 * {@code <topic>.dlq} with the original key, value and CloudEvents headers followed by the six {@code x-lerian-dlq-*}
 * headers; the emit still fails, as a caller error. Tests share the dead-letter topic and find their records by
 * {@code ce-id}.
 */
class DeadLetterOnTheWireTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String DLQ_TOPIC = TOPIC + ".dlq";
    private static final String FAILURE_PREFIX = "streaming emit failed: class=serialization_error "
            + "topic=lerian.streaming.transaction.created resource=transaction event=created: ";
    private static final List<String> DLQ_HEADERS = List.of(
            "x-lerian-dlq-source-topic",
            "x-lerian-dlq-error-class",
            "x-lerian-dlq-error-message",
            "x-lerian-dlq-retry-count",
            "x-lerian-dlq-first-failure-at",
            "x-lerian-dlq-producer-id");

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new KafkaBroker().start();
        // The broker refuses records over 1000 bytes on the source topic; the DLQ topic keeps the broker default.
        broker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "1000"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void recordTheBrokerRefusesForItsSizeIsCopiedToTheDlqWithTheSixDlqHeaders() {
        String eventId = "0190abcd-ef01-7890-abcd-ef0123456789";
        byte[] payload = Records.incompressibleJson(4096);

        try (StreamingContainer app = StreamingContainer.start(Fixture.config(broker.bootstrap()),
                Fixture.Definitions.class)) {
            Instant called = Instant.now();
            EmitException failure = assertThrows(EmitException.class, () -> app.emitter().emit(fixture(eventId,
                    payload)));
            Instant returned = Instant.now();

            assertEquals(ErrorClass.SERIALIZATION_ERROR, failure.errorClass());
            assertTrue(StreamingErrors.isCallerError(failure));
            assertTrue(failure.getMessage().startsWith(FAILURE_PREFIX), failure.getMessage());

            ConsumerRecord<byte[], byte[]> dlq = dlqRecord(eventId);
            assertEquals("t-abc", new String(dlq.key(), StandardCharsets.UTF_8));
            assertArrayEquals(payload, dlq.value(), "the DLQ value is the payload, byte for byte");
            List<String> lines = Records.headerLines(dlq);
            assertEquals(17, lines.size(), "11 CloudEvents headers and 6 DLQ headers: " + Records.headerNames(dlq));
            assertEquals(g1Headers(eventId), lines.subList(0, 11));
            assertEquals(DLQ_HEADERS, Records.headerNames(dlq).subList(11, 17));

            assertEquals(TOPIC, Records.header(dlq, "x-lerian-dlq-source-topic"));
            assertEquals("serialization_error", Records.header(dlq, "x-lerian-dlq-error-class"));
            assertFalse(Records.header(dlq, "x-lerian-dlq-error-message").isBlank());
            assertEquals("0", Records.header(dlq, "x-lerian-dlq-retry-count"));
            String firstFailure = Records.header(dlq, "x-lerian-dlq-first-failure-at");
            OffsetDateTime at = OffsetDateTime.parse(firstFailure);
            assertEquals(ZoneOffset.UTC, at.getOffset(), firstFailure);
            assertTrue(firstFailure.endsWith("Z"), firstFailure);
            assertFalse(at.toInstant().isAfter(returned), firstFailure + " is after the emit returned at " + returned);
            assertFalse(at.toInstant().isBefore(called), firstFailure + " is before the emit was called at " + called);
            String producerId = Records.header(dlq, "x-lerian-dlq-producer-id");
            assertEquals(producerId, UUID.fromString(producerId).toString());
            assertEquals(((KafkaEmitter) app.emitter()).producerId(), producerId);
        }
    }

    @Test
    void dlqCopyTooLargeItselfIsWrittenWithoutItsPayload() {
        String eventId = "0190abcd-ef01-7890-abcd-0000000000b1";
        byte[] payload = Records.incompressibleJson(4096);
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.batch.max.bytes", "2048");

        try (StreamingContainer app = StreamingContainer.start(config, Fixture.Definitions.class)) {
            EmitException failure = assertThrows(EmitException.class, () -> app.emitter().emit(fixture(eventId,
                    payload)));
            assertEquals(ErrorClass.SERIALIZATION_ERROR, failure.errorClass(), failure.getMessage());
            assertTrue(failure.getMessage().startsWith(FAILURE_PREFIX), failure.getMessage());
        }

        ConsumerRecord<byte[], byte[]> dlq = dlqRecord(eventId);
        assertEquals("t-abc", new String(dlq.key(), StandardCharsets.UTF_8));
        assertTrue(dlq.value() == null || dlq.value().length == 0, "the payload is omitted");
        assertEquals(g1Headers(eventId), Records.headerLines(dlq).subList(0, 11));
        assertEquals(DLQ_HEADERS, Records.headerNames(dlq).subList(11, 17));
        assertEquals("serialization_error", Records.header(dlq, "x-lerian-dlq-error-class"));
        assertEquals(List.of("x-lerian-dlq-payload-omitted", "x-lerian-dlq-payload-bytes"),
                Records.headerNames(dlq).subList(17, Records.headerNames(dlq).size()));
        assertEquals("true", Records.header(dlq, "x-lerian-dlq-payload-omitted"));
        assertEquals(Integer.toString(payload.length), Records.header(dlq, "x-lerian-dlq-payload-bytes"));
    }

    /**
     * {@code dlq=never} from the deployment: no copy. Proven against a later copy: a second refused event, allowed to
     * go to the DLQ by its call's override, is written by the same producer with the same key to the same partition
     * after the first one's copy would have been, so reading up to it shows whether that copy exists.
     */
    @Test
    void policyDlqNeverWritesNoCopy() {
        String neverId = "0190abcd-ef01-7890-abcd-0000000000c1";
        String sentinelId = "0190abcd-ef01-7890-abcd-0000000000c2";
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.batch.max.bytes", "2048");
        config.put("streaming.event.policies", "transaction.created.dlq=never");

        try (StreamingContainer app = StreamingContainer.start(config, Fixture.Definitions.class)) {
            EmitException refused = assertThrows(EmitException.class,
                    () -> app.emitter().emit(fixture(neverId, Records.incompressibleJson(4096))));
            assertEquals(ErrorClass.SERIALIZATION_ERROR, refused.errorClass());

            EmitRequest sentinel = fixture(sentinelId, Records.incompressibleJson(4096)).toBuilder()
                    .policyOverride(DeliveryPolicyOverride.builder().dlq(DlqMode.ON_ROUTABLE_FAILURE).build())
                    .build();
            assertThrows(EmitException.class, () -> app.emitter().emit(sentinel));
        }

        List<ConsumerRecord<byte[], byte[]>> upToSentinel = Records.readUntil(broker.bootstrap(), DLQ_TOPIC,
                Records.withHeader("ce-id", sentinelId), Duration.ofSeconds(20));
        List<String> ids = upToSentinel.stream().map(r -> Records.header(r, "ce-id")).toList();
        assertFalse(ids.contains(neverId), "the dlq=never event is on " + DLQ_TOPIC + ": " + ids);
    }

    private static EmitRequest fixture(String eventId, byte[] payload) {
        return EmitRequest.builder("transaction.created")
                .tenantId("t-abc")
                .subject("tx-123")
                .eventId(eventId)
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .payload(payload)
                .build();
    }

    private static ConsumerRecord<byte[], byte[]> dlqRecord(String eventId) {
        List<ConsumerRecord<byte[], byte[]>> read = Records.readUntil(broker.bootstrap(), DLQ_TOPIC,
                Records.withHeader("ce-id", eventId), Duration.ofSeconds(20));
        return read.get(read.size() - 1);
    }

    private static List<String> g1Headers(String eventId) {
        return List.of(
                "ce-specversion: 1.0",
                "ce-id: " + eventId,
                "ce-source: //lerian.midaz/transaction-service",
                "ce-type: studio.lerian.transaction.created",
                "ce-time: 2026-04-18T10:00:00Z",
                "ce-schemaversion: 1.0.0",
                "ce-resourcetype: transaction",
                "ce-eventtype: created",
                "ce-subject: tx-123",
                "ce-datacontenttype: application/json",
                "ce-tenantid: t-abc");
    }
}
