package studio.lerian.streaming.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.kafka.RecordFramer;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.wire.CloudEventsHeaders;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The dead-letter writer against Kafka's {@link MockProducer}: a copy waits for its acknowledgement only until the
 * caller's deadline, a copy the broker refuses for its size goes again without its value, and a closed writer
 * writes nothing. A copy never throws at its caller.
 */
class DeadLetterWriterTest {

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final DeadLetterWriter writer = new DeadLetterWriter(producer, "producer-1", Telemetry.NOOP);
    private final ResolvedEvent event = new EmitPreparer(Catalog.of(Fixture.TRANSACTION_CREATED), Map.of(),
            Fixture.SOURCE, false).prepare(EmitRequest.builder("transaction.created").tenantId("t-1")
                    .payload("{\"amount\":100}").build()).event();
    private final ProducerRecord<byte[], byte[]> failed = new RecordFramer(RecordFormat.LERIAN).frame(event,
            event.topic());

    @AfterEach
    void close() {
        writer.close();
    }

    private CompletableFuture<Boolean> writeInBackground(long deadline) {
        return CompletableFuture.supplyAsync(() -> writer.write(failed, event, ErrorClass.BROKER_UNAVAILABLE,
                new NetworkException("connection lost"), Instant.now(), deadline));
    }

    private static long inSeconds(int s) {
        return System.nanoTime() + Duration.ofSeconds(s).toNanos();
    }

    private void awaitHistory(int size) {
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() >= size);
    }

    @Test
    void aCopyAcknowledgedBeforeTheDeadlineIsReportedWritten() throws Exception {
        CompletableFuture<Boolean> write = writeInBackground(inSeconds(5));
        awaitHistory(1);

        assertTrue(producer.completeNext());

        assertTrue(write.get(5, TimeUnit.SECONDS));
        ProducerRecord<byte[], byte[]> copy = producer.history().get(0);
        assertEquals(event.topic() + ".dlq", copy.topic());
        assertArrayEquals(failed.value(), copy.value());
        assertEquals("broker_unavailable",
                new String(copy.headers().lastHeader(CloudEventsHeaders.DLQ_ERROR_CLASS).value(), UTF_8));
    }

    @Test
    void aCopyRefusedForItsSizeGoesAgainWithoutItsValue() throws Exception {
        CompletableFuture<Boolean> write = writeInBackground(inSeconds(5));
        awaitHistory(1);

        assertTrue(producer.errorNext(new RecordTooLargeException("the copy is too large")));
        awaitHistory(2);
        assertTrue(producer.completeNext());

        assertTrue(write.get(5, TimeUnit.SECONDS));
        ProducerRecord<byte[], byte[]> second = producer.history().get(1);
        assertEquals(event.topic() + ".dlq", second.topic());
        assertNull(second.value());
        assertEquals("true", new String(second.headers().lastHeader(CloudEventsHeaders.DLQ_PAYLOAD_OMITTED).value(), UTF_8));
        assertEquals(String.valueOf(failed.value().length),
                new String(second.headers().lastHeader(CloudEventsHeaders.DLQ_PAYLOAD_BYTES).value(), UTF_8));
    }

    @Test
    void aCopyRefusedOtherwiseIsNotRetriedAndTheCallerIsNotFailed() throws Exception {
        CompletableFuture<Boolean> write = writeInBackground(inSeconds(5));
        awaitHistory(1);

        assertTrue(producer.errorNext(new NetworkException("still down")));

        assertFalse(write.get(5, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertEquals(1, producer.history().size());
    }

    @Test
    void theCallerWaitsOnlyUntilItsDeadlineAndTheCopyStillCompletesAfter() throws Exception {
        CompletableFuture<Boolean> write = writeInBackground(System.nanoTime() + Duration.ofMillis(300).toNanos());
        awaitHistory(1);

        assertFalse(write.get(5, TimeUnit.SECONDS), "reported written before the broker acknowledged it");
        assertTrue(producer.completeNext(), "the copy was still in flight after the caller's deadline");
    }

    @Test
    void aClosedWriterWritesNothing() throws Exception {
        writer.close();

        assertFalse(writeInBackground(inSeconds(5)).get(5, TimeUnit.SECONDS));
        assertTrue(producer.history().isEmpty());
    }
}
