package studio.lerian.streaming.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.kafka.RecordFramer;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.wire.CloudEventsHeaders;

/**
 * The record sender's deadlines, in-flight permits, dead-letter copies and order, against Kafka's
 * {@link MockProducer}: the test decides when, and how, each record's acknowledgement arrives. The same behaviour is
 * proven against a broker process by the emit and relay tests; here each rule is isolated and its timing exact.
 */
class RecordSenderTest {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);
    private static final String TOPIC = "lerian.streaming.transaction.created";

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final EmitPreparer preparer = new EmitPreparer(Catalog.of(Fixture.TRANSACTION_CREATED), Map.of(),
            Fixture.SOURCE, false);
    private RecordSender sender;

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
    }

    private RecordSender sender(int maxInFlight) {
        sender = new RecordSender(producer, new RecordFramer(RecordFormat.LERIAN), "producer-1", DELIVERY_TIMEOUT,
                maxInFlight, Duration.ofSeconds(1), Telemetry.NOOP);
        return sender;
    }

    private PreparedEmit emit(String tenant, int n, DeliveryPolicyOverride override) {
        return preparer.prepare(EmitRequest.builder("transaction.created").tenantId(tenant)
                .payload("{\"n\":" + n + "}").policyOverride(override).build());
    }

    private PreparedEmit emit(String tenant, int n) {
        return emit(tenant, n, DeliveryPolicyOverride.none());
    }

    private static EmitAttempt attempt(PreparedEmit p, long deadline) {
        return new EmitAttempt(Telemetry.NOOP.startEmit(p.definition().key(), p.event(), p.policy()), deadline);
    }

    private CompletableFuture<Void> publishInBackground(PreparedEmit p, EmitAttempt attempt) {
        return CompletableFuture.runAsync(() -> sender.publish(p.event(), p.policy(), attempt));
    }

    private void awaitHistory(int size) {
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() >= size);
    }

    private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static List<String> headerNames(ProducerRecord<byte[], byte[]> r) {
        List<String> names = new ArrayList<>();
        for (Header h : r.headers()) {
            names.add(h.key());
        }
        return names;
    }

    @Test
    void anEmitReturnsOnlyOnceTheBrokerAcknowledgedItsRecord() throws Exception {
        sender(10);
        PreparedEmit p = emit("t-1", 1);
        CompletableFuture<Void> publish = publishInBackground(p, attempt(p, sender.deadlineFromNow()));
        awaitHistory(1);

        Thread.sleep(200);
        assertFalse(publish.isDone(), "returned before the acknowledgement");
        assertTrue(producer.completeNext());

        publish.get(5, TimeUnit.SECONDS);
        assertEquals(TOPIC, producer.history().get(0).topic());
        assertArrayEquals("t-1".getBytes(UTF_8), producer.history().get(0).key());
    }

    @Test
    void anEmitWhoseAcknowledgementNeverComesFailsAsANetworkTimeoutAtItsDeadline() throws Exception {
        sender(10);
        PreparedEmit p = emit("t-1", 1);
        long deadline = System.nanoTime() + Duration.ofMillis(400).toNanos();

        long start = System.nanoTime();
        EmitException e = assertThrows(EmitException.class, () -> sender.publish(p.event(), p.policy(),
                attempt(p, deadline)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(ErrorClass.NETWORK_TIMEOUT, e.errorClass());
        assertFalse(studio.lerian.streaming.StreamingErrors.isCallerError(e), "a timeout is the infrastructure's, to retry");
        assertTrue(tookMs < DELIVERY_TIMEOUT.toMillis(), "waited past its own deadline for the client: " + tookMs);
    }

    @Test
    void aFailedRecordIsCopiedToItsDeadLetterTopicAndTheEmitLearnsTheCopyWasAcknowledged() throws Exception {
        sender(10);
        PreparedEmit p = emit("t-1", 7);
        EmitAttempt attempt = attempt(p, sender.deadlineFromNow());
        CompletableFuture<Void> publish = publishInBackground(p, attempt);
        awaitHistory(1);

        assertTrue(producer.errorNext(new NetworkException("connection lost")));
        awaitHistory(2);
        assertTrue(producer.completeNext(), "the dead-letter copy is acknowledged");

        EmitException e = (EmitException) failureOf(publish);
        assertEquals(ErrorClass.BROKER_UNAVAILABLE, e.errorClass());
        assertTrue(attempt.wasDeadLettered());
        ProducerRecord<byte[], byte[]> original = producer.history().get(0);
        ProducerRecord<byte[], byte[]> copy = producer.history().get(1);
        assertEquals(TOPIC + ".dlq", copy.topic());
        assertArrayEquals(original.key(), copy.key());
        assertArrayEquals(original.value(), copy.value());
        List<String> expected = new ArrayList<>(headerNames(original));
        expected.addAll(List.of(CloudEventsHeaders.DLQ_SOURCE_TOPIC, CloudEventsHeaders.DLQ_ERROR_CLASS, CloudEventsHeaders.DLQ_ERROR_MESSAGE,
                CloudEventsHeaders.DLQ_RETRY_COUNT, CloudEventsHeaders.DLQ_FIRST_FAILURE_AT, CloudEventsHeaders.DLQ_PRODUCER_ID));
        assertEquals(expected, headerNames(copy));
        assertEquals("producer-1", new String(copy.headers().lastHeader(CloudEventsHeaders.DLQ_PRODUCER_ID).value(), UTF_8));
    }

    @Test
    void aPolicyWithoutDeadLettersGetsNoCopy() throws Exception {
        sender(10);
        PreparedEmit p = emit("t-1", 1, DeliveryPolicyOverride.builder().dlq(DlqMode.NEVER).build());
        EmitAttempt attempt = attempt(p, sender.deadlineFromNow());
        CompletableFuture<Void> publish = publishInBackground(p, attempt);
        awaitHistory(1);

        assertTrue(producer.errorNext(new NetworkException("connection lost")));

        assertEquals(ErrorClass.BROKER_UNAVAILABLE, ((EmitException) failureOf(publish)).errorClass());
        Thread.sleep(200);
        assertEquals(1, producer.history().size(), "no copy was sent");
        assertFalse(attempt.wasDeadLettered());
    }

    @Test
    void aSettledRecordFreesItsInFlightPermitForTheNextEmit() throws Exception {
        sender(1);
        PreparedEmit first = emit("t-1", 1);
        PreparedEmit second = emit("t-2", 2);
        CompletableFuture<Void> holder = publishInBackground(first, attempt(first, sender.deadlineFromNow()));
        awaitHistory(1);

        CompletableFuture<Void> waiting = publishInBackground(second, attempt(second, sender.deadlineFromNow()));
        Thread.sleep(300);
        assertEquals(1, producer.history().size(), "the second record was handed over without a permit");

        assertTrue(producer.completeNext());
        holder.get(5, TimeUnit.SECONDS);
        awaitHistory(2);
        assertTrue(producer.completeNext());
        waiting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBatchIsHandedToTheClientInItsOrderBeforeAnyAcknowledgement() throws Exception {
        sender(100);
        List<PreparedEmit> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(emit(i % 2 == 0 ? "t-even" : "t-odd", i));
        }
        long deadline = sender.deadlineFromNow();
        List<EmitAttempt> attempts = items.stream().map(p -> attempt(p, deadline)).toList();
        CompletableFuture<StreamingException[]> batch = CompletableFuture.supplyAsync(
                () -> sender.publishAll(items, attempts));

        awaitHistory(6);
        assertFalse(batch.isDone(), "returned before the acknowledgements");
        List<String> sent = producer.history().stream().map(r -> new String(r.value(), UTF_8)).toList();
        assertEquals(items.stream().map(p -> new String(p.event().payload(), UTF_8)).toList(), sent);
        while (producer.completeNext()) {
            // acknowledge every record
        }

        for (StreamingException failure : batch.get(5, TimeUnit.SECONDS)) {
            assertNull(failure);
        }
    }

    @Test
    void aBatchReportsEachFailedRecordAndLetsTheOthersThrough() throws Exception {
        sender(100);
        List<PreparedEmit> items = List.of(emit("t-1", 0), emit("t-1", 1), emit("t-1", 2));
        long deadline = sender.deadlineFromNow();
        List<EmitAttempt> attempts = items.stream().map(p -> attempt(p, deadline)).toList();
        CompletableFuture<StreamingException[]> batch = CompletableFuture.supplyAsync(
                () -> sender.publishAll(items, attempts));
        awaitHistory(3);

        assertTrue(producer.completeNext());
        assertTrue(producer.errorNext(new NetworkException("partition leader lost")));
        assertTrue(producer.completeNext());
        awaitHistory(4);
        assertTrue(producer.completeNext(), "the failed record's dead-letter copy");

        StreamingException[] failures = batch.get(5, TimeUnit.SECONDS);
        assertNull(failures[0]);
        assertEquals(ErrorClass.BROKER_UNAVAILABLE, ((EmitException) failures[1]).errorClass());
        assertNull(failures[2]);
        assertTrue(attempts.get(1).wasDeadLettered());
        assertEquals(TOPIC + ".dlq", producer.history().get(3).topic());
        assertArrayEquals(producer.history().get(1).value(), producer.history().get(3).value());
    }

    @Test
    void aClosedSenderRefusesEveryPathWithEmitterClosed() throws Exception {
        sender(10);
        PreparedEmit p = emit("t-1", 1);
        sender.close();

        StreamingException publish = assertThrows(StreamingException.class,
                () -> sender.publish(p.event(), p.policy(), attempt(p, sender.deadlineFromNow())));
        Throwable relay = failureOf(sender.sendAsync(sender.frame(p.event(), p.event().topic()),
                attempt(p, sender.deadlineFromNow()).span()));
        StreamingException[] batch = sender.publishAll(List.of(p), List.of(attempt(p, sender.deadlineFromNow())));

        assertEquals(ErrorCode.EMITTER_CLOSED, publish.code());
        assertEquals(ErrorCode.EMITTER_CLOSED, ((StreamingException) relay).code());
        assertEquals(ErrorCode.EMITTER_CLOSED, batch[0].code());
        assertTrue(producer.history().isEmpty());
    }
}
