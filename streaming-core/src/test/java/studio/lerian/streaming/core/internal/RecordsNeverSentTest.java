package studio.lerian.streaming.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.kafka.RecordFramer;
import studio.lerian.streaming.core.support.Fixture;

/**
 * A batch's records that were never handed to the Kafka client (the in-flight limit was reached, or too little of the
 * delivery timeout was left) fail as {@code network_timeout} like any emit out of time, but, as for a single emit,
 * get no dead-letter copy and do not make the breaker count the batch as failed: the broker never saw them. Kafka's
 * {@link MockProducer} stands for the client, so the test decides when an acknowledgement arrives.
 */
class RecordsNeverSentTest {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final EmitPreparer preparer = new EmitPreparer(Catalog.of(Fixture.TRANSACTION_CREATED), Map.of(),
            Fixture.SOURCE, false);
    private RecordSender publisher;

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
    }

    private RecordSender publisher(int maxInFlight) {
        publisher = new RecordSender(producer, new RecordFramer(RecordFormat.LERIAN), "producer-1", DELIVERY_TIMEOUT,
                maxInFlight, Duration.ofSeconds(1), Telemetry.NOOP);
        return publisher;
    }

    private List<PreparedEmit> batch(int size) {
        List<PreparedEmit> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            items.add(preparer.prepare(EmitRequest.builder("transaction.created").tenantId("t-" + i)
                    .payload("{\"n\":" + i + "}").build()));
        }
        return items;
    }

    private static List<EmitAttempt> attempts(List<PreparedEmit> items, long deadline) {
        List<EmitAttempt> out = new ArrayList<>();
        for (PreparedEmit p : items) {
            out.add(new EmitAttempt(Telemetry.NOOP.startEmitInBatch(p.definition().key(), p.event(), p.policy()),
                    deadline));
        }
        return out;
    }

    private List<String> topicsSentTo() {
        return producer.history().stream().map(ProducerRecord::topic).toList();
    }

    @Test
    void recordsWaitingForAnInFlightSlotPastTheHandOverTimeGetNoDlqCopyAndDoNotFailTheBatchForTheBreaker()
            throws Exception {
        RecordSender publisher = publisher(1);
        List<PreparedEmit> items = batch(3);
        long deadline = publisher.deadlineFromNow();
        long handOverBy = deadline - DELIVERY_TIMEOUT.toNanos() / 2;
        BatchPublish call = new BatchPublish(publisher, items, attempts(items, deadline));
        CompletableFuture<Throwable> ran = CompletableFuture.supplyAsync(() -> {
            try {
                call.attempt();
                return null;
            } catch (RuntimeException counted) {
                return counted;
            }
        });
        // The first record holds the only slot until the others gave up waiting for it; then the broker acknowledges.
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1
                && System.nanoTime() - handOverBy > TimeUnit.MILLISECONDS.toNanos(100));
        producer.completeNext();

        assertNull(ran.get(5, TimeUnit.SECONDS), "the breaker counts the batch as a success: only not-sent failures");
        StreamingException[] failures = call.failures();
        assertNull(failures[0]);
        for (int i = 1; i < 3; i++) {
            NotSentEmitException notSent = assertInstanceOf(NotSentEmitException.class, failures[i]);
            assertEquals(ErrorClass.NETWORK_TIMEOUT, notSent.errorClass());
        }
        assertEquals(List.of("lerian.streaming.transaction.created"), topicsSentTo(), "no DLQ copy");
    }

    @Test
    void aBatchWhoseHandOverTimeIsSpentSendsNothingAndCopiesNothing() {
        RecordSender publisher = publisher(10);
        List<PreparedEmit> items = batch(2);
        // As when the strict-ordering lookups took more than half the delivery timeout.
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos() / 4;

        StreamingException[] failures = publisher.publishAll(items, attempts(items, deadline));

        for (StreamingException failure : failures) {
            assertInstanceOf(NotSentEmitException.class, failure);
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> producer.history().isEmpty());
        assertTrue(topicsSentTo().isEmpty(), "nothing sent, no DLQ copy: " + topicsSentTo());
    }

    @Test
    void aSingleEmitWaitingForAnInFlightSlotPastItsDeadlineGetsNoDlqCopy() throws Exception {
        RecordSender publisher = publisher(1);
        List<PreparedEmit> items = batch(2);
        long deadline = publisher.deadlineFromNow();
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> publisher.publish(items.get(0).event(),
                items.get(0).policy(), attempts(items, deadline).get(0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);

        NotSentEmitException notSent = org.junit.jupiter.api.Assertions.assertThrows(NotSentEmitException.class,
                () -> publisher.publish(items.get(1).event(), items.get(1).policy(),
                        attempts(items, deadline).get(1)));
        assertEquals(ErrorClass.NETWORK_TIMEOUT, notSent.errorClass());
        producer.completeNext();
        holder.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("lerian.streaming.transaction.created"), topicsSentTo(), "no DLQ copy");
    }
}
