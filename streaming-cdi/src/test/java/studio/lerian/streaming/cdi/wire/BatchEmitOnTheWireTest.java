package studio.lerian.streaming.cdi.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.BatchEmitException;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * {@code Emitter.emitAll} against a real broker: a batch keeps each tenant's order, after the tenant's earlier emits;
 * an invalid request refuses the whole batch before anything is sent and is named in the error; a record the broker
 * refuses fails alone, is copied to the dead-letter topic, and is reported by its index. Tests share one topic (three
 * partitions, records over 2000 bytes refused) and tell their records apart by tenant.
 */
class BatchEmitOnTheWireTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final Pattern PAYLOAD = Pattern.compile("\\{\"tenant\":\"([^\"]+)\",\"seq\":(\\d+)}");

    private static KafkaBroker broker;
    private static StreamingContainer app;

    @BeforeAll
    static void start() {
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 3, Map.of("max.message.bytes", "2000"));
        app = StreamingContainer.start(Fixture.config(broker.bootstrap()), Fixture.Definitions.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        broker.close();
    }

    @Test
    void aBatchKeepsEachTenantsOrderAfterTheTenantsEarlierEmits() {
        Emitter emitter = app.emitter();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> tenants = IntStream.range(0, 6).mapToObj(i -> "order-" + run + "-" + i).toList();
        int perTenantInBatch = 40;

        tenants.forEach(t -> emitter.emit(event(t, 0)));
        List<EmitRequest> batch = new ArrayList<>();
        for (int seq = 1; seq <= perTenantInBatch; seq++) {
            for (String t : tenants) {
                batch.add(event(t, seq)); // tenants interleaved, as a bulk operation over several accounts would be
            }
        }
        emitter.emitAll(batch);
        tenants.forEach(t -> emitter.emit(event(t, perTenantInBatch + 1)));

        int perTenant = perTenantInBatch + 2;
        List<ConsumerRecord<byte[], byte[]>> records = recordsOf(Set.copyOf(tenants), tenants.size() * perTenant);
        Map<String, List<Integer>> sequences = new HashMap<>();
        Map<String, Set<Integer>> partitions = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Matcher m = PAYLOAD.matcher(new String(r.value(), StandardCharsets.UTF_8));
            assertTrue(m.matches(), new String(r.value(), StandardCharsets.UTF_8));
            sequences.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            partitions.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(r.partition());
        }
        List<Integer> inEmitOrder = IntStream.rangeClosed(0, perTenant - 1).boxed().toList();
        for (String t : tenants) {
            assertEquals(inEmitOrder, sequences.get(t), t + " sequence numbers");
            assertEquals(1, partitions.get(t).size(), t + " partitions " + partitions.get(t));
        }
        Set<Integer> used = new HashSet<>();
        partitions.values().forEach(used::addAll);
        assertTrue(used.size() > 1, "the tenants spread over several partitions: " + used);
    }

    @Test
    void anInvalidRequestRefusesTheWholeBatchBeforeAnythingIsSentAndIsNamed() {
        Emitter emitter = app.emitter();
        String tenant = "invalid-" + UUID.randomUUID().toString().substring(0, 8);
        String notJsonId = "0190abcd-ef01-7890-abcd-00000000b002";
        List<EmitRequest> batch = List.of(
                event(tenant, 0),
                event(tenant, 1),
                EmitRequest.builder("transaction.created").tenantId(tenant).eventId(notJsonId).payload("{\"seq\":")
                        .build(),
                EmitRequest.builder("no.such.event").tenantId(tenant).payload("{}").build(),
                event(tenant, 4));

        BatchEmitException refused = assertThrows(BatchEmitException.class, () -> emitter.emitAll(batch));

        assertEquals(ErrorCode.INVALID_BATCH, refused.code());
        assertTrue(refused.nothingSent());
        assertTrue(StreamingErrors.isCallerError(refused));
        assertTrue(StreamingErrors.hasCode(refused, ErrorCode.NOT_JSON), "the first invalid request's code");
        assertEquals(5, refused.batchSize());
        List<BatchEmitException.Failure> failures = refused.failures();
        assertEquals(List.of(2, 3), failures.stream().map(BatchEmitException.Failure::index).toList());
        assertEquals(ErrorCode.NOT_JSON, failures.get(0).cause().code());
        assertEquals("transaction.created", failures.get(0).definitionKey());
        assertEquals(notJsonId, failures.get(0).eventId());
        assertEquals(ErrorCode.UNKNOWN_EVENT_DEFINITION, failures.get(1).cause().code());
        assertEquals("no.such.event", failures.get(1).definitionKey());
        assertEquals("", failures.get(1).eventId(), "no id was given and none was generated");
        assertEquals("streaming: invalid emit batch: 2 of 5 requests: #2 definition=transaction.created event_id="
                + notJsonId + ": streaming: payload must be valid JSON; #3 definition=no.such.event: "
                + "streaming: unknown event definition: \"no.such.event\"", refused.getMessage());

        // A later event of the same tenant (same partition, same producer) is the first of the tenant on the topic.
        String sentinelId = UUID.randomUUID().toString();
        emitter.emit(event(tenant, 99).toBuilder().eventId(sentinelId).build());
        List<ConsumerRecord<byte[], byte[]>> upToSentinel = Records.readUntil(broker.bootstrap(), TOPIC,
                Records.withHeader("ce-id", sentinelId), Duration.ofSeconds(20));
        assertEquals(List.of(sentinelId), upToSentinel.stream().filter(r -> tenant.equals(key(r)))
                .map(r -> Records.header(r, "ce-id")).toList(), "no request of the refused batch was sent");
    }

    @Test
    void aRecordTheBrokerRefusesFailsAloneGoesToTheDlqAndIsReportedByItsIndex() {
        Emitter emitter = app.emitter();
        String tenant = "partial-" + UUID.randomUUID().toString().substring(0, 8);
        String tooLargeId = UUID.randomUUID().toString();
        List<EmitRequest> batch = new ArrayList<>(List.of(event(tenant, 0), event(tenant, 1),
                EmitRequest.builder("transaction.created").tenantId(tenant).eventId(tooLargeId)
                        .payload(Records.incompressibleJson(4096)).build(),
                event(tenant, 3), event(tenant, 4)));

        BatchEmitException failed = assertThrows(BatchEmitException.class, () -> emitter.emitAll(batch));

        assertEquals(ErrorCode.BATCH_EMIT_FAILED, failed.code());
        assertEquals(5, failed.batchSize());
        assertEquals(1, failed.failures().size(), failed.getMessage());
        BatchEmitException.Failure tooLarge = failed.failures().get(0);
        assertEquals(2, tooLarge.index());
        assertEquals(tooLargeId, tooLarge.eventId());
        EmitException publish = assertInstanceOf(EmitException.class, tooLarge.cause());
        assertEquals(ErrorClass.SERIALIZATION_ERROR, publish.errorClass());
        assertTrue(StreamingErrors.isCallerError(failed), "its only failure is the caller's to fix");
        assertTrue(failed.getMessage().startsWith("streaming batch emit failed: 1 of 5 requests: #2 definition="
                + "transaction.created event_id=" + tooLargeId + ": streaming emit failed: class=serialization_error"),
                failed.getMessage());

        List<ConsumerRecord<byte[], byte[]>> delivered = recordsOf(Set.of(tenant), 4);
        assertEquals(List.of(0, 1, 3, 4), delivered.stream().map(BatchEmitOnTheWireTest::seq).toList(),
                "the other requests, in order, sent in the same producer batches as the refused one");
        ConsumerRecord<byte[], byte[]> dlq = Records.readUntil(broker.bootstrap(), TOPIC + ".dlq",
                Records.withHeader("ce-id", tooLargeId), Duration.ofSeconds(20)).stream()
                .filter(Records.withHeader("ce-id", tooLargeId)).findFirst().orElseThrow();
        assertEquals(tenant, key(dlq));
        assertEquals("serialization_error", Records.header(dlq, "x-lerian-dlq-error-class"));
    }

    @Test
    void anEmptyBatchDoesNothingAndANullRequestIsNamedByItsIndex() {
        Emitter emitter = app.emitter();
        emitter.emitAll(List.of());
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> emitter.emitAll(Arrays.asList(event("t-null", 0), null)));
        assertEquals("requests[1] is null", npe.getMessage());
        assertThrows(NullPointerException.class, () -> emitter.emitAll(null));
    }

    @Test
    void aClosedEmitterRefusesAValidBatch() {
        try (StreamingContainer closing = StreamingContainer.start(Fixture.config(broker.bootstrap()),
                Fixture.Definitions.class)) {
            Emitter emitter = closing.emitter();
            emitter.close();
            StreamingException refused = assertThrows(StreamingException.class,
                    () -> emitter.emitAll(List.of(event("t-closed", 0))));
            assertEquals(ErrorCode.EMITTER_CLOSED, refused.code());
        }
    }

    private static EmitRequest event(String tenant, int seq) {
        return EmitRequest.builder("transaction.created").tenantId(tenant)
                .payload("{\"tenant\":\"" + tenant + "\",\"seq\":" + seq + "}").build();
    }

    /** Reads the topic until {@code expected} records of these tenants arrived; each tenant's in partition order. */
    private static List<ConsumerRecord<byte[], byte[]>> recordsOf(Set<String> tenants, int expected) {
        int[] seen = {0};
        List<ConsumerRecord<byte[], byte[]>> read = Records.readUntil(broker.bootstrap(), TOPIC,
                r -> tenants.contains(key(r)) && ++seen[0] == expected, Duration.ofSeconds(30));
        return read.stream().filter(r -> tenants.contains(key(r))).toList();
    }

    private static int seq(ConsumerRecord<byte[], byte[]> r) {
        Matcher m = PAYLOAD.matcher(new String(r.value(), StandardCharsets.UTF_8));
        assertTrue(m.matches());
        return Integer.parseInt(m.group(2));
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }
}
