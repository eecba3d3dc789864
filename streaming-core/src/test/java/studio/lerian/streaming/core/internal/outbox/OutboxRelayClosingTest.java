package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.core.internal.RecordSender;
import studio.lerian.streaming.core.internal.TestPublishers;
import studio.lerian.streaming.core.internal.config.StreamingConfig.OutboxSettings;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * A poll still running when the emitter closes (the relay waits 5 s for it, then the publisher closes the producer)
 * sends on a closed producer, or has its in-flight records abandoned by the close. Those failures are the close's,
 * not the rows': the rows keep no outcome (due again, untried, their attempts unchanged). They used to count as
 * attempts, and a row on its last attempt became FAILED, without its DLQ copy since the publisher was closed.
 */
class OutboxRelayClosingTest {

    private static final int MAX_ATTEMPTS = 3;
    private static final OutboxSettings SETTINGS = new OutboxSettings(true, true, Duration.ofSeconds(1), 200,
            MAX_ATTEMPTS, Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(24),
            256, Duration.ofSeconds(10), false, Duration.ofSeconds(60));

    /** Where the close finds the poll. */
    enum Moment {
        /** inside send(), blocked (as on metadata): the producer then refuses it, closed */
        SENDING,
        /** the record handed over and not acknowledged (the broker is away): the close abandons it */
        IN_FLIGHT,
        /** the record failed by the broker's delivery timeout just before the close, not recorded yet */
        FAILED_THEN_CLOSED
    }

    @ParameterizedTest
    @EnumSource(value = Moment.class, names = {"SENDING", "IN_FLIGHT"})
    void rowsWhoseSendsTheCloseFailsAreLeftUntouched(Moment moment) throws Exception {
        ClosingProducer producer = new ClosingProducer(moment);
        RecordSender publisher = TestPublishers.over(producer, RecordFormat.LERIAN, Duration.ofSeconds(30),
                Telemetry.NOOP);
        InMemoryOutboxStore store = new InMemoryOutboxStore();
        store.add(row("first-try", "t-a", 0)); // sent first: the one whose send() blocks when SENDING
        store.add(row("last-try", "t-b", MAX_ATTEMPTS - 1));
        OutboxRelay relay = new OutboxRelay(store, publisher, SETTINGS, false,
                RowOwnership.of(Catalog.empty(), true), new BacklogFlag(), "relay-1", null, false, Telemetry.NOOP);

        CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(relay::pollOnce);
        assertTrue(producer.reached.await(10, TimeUnit.SECONDS), "the poll reached the producer");
        publisher.close(); // what KafkaEmitter.close does once the relay's own close wait is over
        assertEquals(2, poll.get(10, TimeUnit.SECONDS), "the poll claimed the rows and finished");

        assertEquals("PENDING", store.status("first-try"), "no outcome: due again");
        assertEquals(0, store.attempts("first-try"), "the close's failure is not an attempt");
        assertEquals("PENDING", store.status("last-try"), "not FAILED");
        assertEquals(MAX_ATTEMPTS - 1, store.attempts("last-try"), "the close's failure is not an attempt");
    }

    /**
     * A genuine failure (the broker's delivery timeout) is an attempt, even when the emitter closes before the relay
     * records it; but a row on its last attempt whose DLQ copy cannot be written any more (the publisher is closed) is
     * left for a relay that can write both, rather than marked FAILED without its copy.
     */
    @Test
    void aRowThatFailsOnItsLastAttemptAsTheEmitterClosesWaitsForItsDlqCopy() throws Exception {
        ClosingProducer producer = new ClosingProducer(Moment.FAILED_THEN_CLOSED);
        RecordSender publisher = TestPublishers.over(producer, RecordFormat.LERIAN, Duration.ofSeconds(30),
                Telemetry.NOOP);
        InMemoryOutboxStore store = new InMemoryOutboxStore();
        store.add(row("first-try", "t-a", 0));
        store.add(row("last-try", "t-b", MAX_ATTEMPTS - 1));
        OutboxRelay relay = new OutboxRelay(store, publisher, SETTINGS, false,
                RowOwnership.of(Catalog.empty(), true), new BacklogFlag(), "relay-1", null, false, Telemetry.NOOP);

        CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(relay::pollOnce);
        assertTrue(producer.reached.await(10, TimeUnit.SECONDS), "the poll reached the producer");
        publisher.close();
        assertEquals(2, poll.get(10, TimeUnit.SECONDS), "the poll claimed the rows and finished");

        assertEquals("PENDING", store.status("first-try"), "retried later");
        assertEquals(1, store.attempts("first-try"), "the broker's failure is an attempt");
        assertEquals("PENDING", store.status("last-try"), "not FAILED without its DLQ copy");
        assertEquals(MAX_ATTEMPTS - 1, store.attempts("last-try"));
    }

    private static OutboxRow row(String id, String tenant, int attempts) {
        ResolvedEvent event = ResolvedEvent.builder().tenantId(tenant).resourceType("transaction").eventType("created")
                .eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.now(ZoneOffset.UTC)).source("//lerian.midaz/transaction-service")
                .dataContentType("application/json").payload("{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
        OutboxEnvelope envelope = OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(), event);
        return new OutboxRow(id, tenant, envelope.topic(), envelope.toJson(), attempts, Instant.now());
    }

    /**
     * A producer whose broker does not answer: a send blocks ({@link Moment#SENDING}) or is left unacknowledged and
     * flush() blocks ({@link Moment#IN_FLIGHT}) until the close, which then does what KafkaProducer does: a blocked
     * send throws, records still in flight fail. With {@link Moment#FAILED_THEN_CLOSED} flush() first fails every
     * record sent, as the client's delivery timeout would.
     */
    private static final class ClosingProducer extends MockProducer<byte[], byte[]> {
        final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch closing = new CountDownLatch(1);
        private final Moment moment;

        ClosingProducer(Moment moment) {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.moment = moment;
        }

        // Blocks without MockProducer's lock, as a real client does, so that close() can run meanwhile.
        @SuppressWarnings("UnsynchronizedOverridesSynchronized")
        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (moment == Moment.SENDING) {
                reached.countDown();
                awaitClose();
                throw new IllegalStateException("Cannot perform operation after producer has been closed");
            }
            return super.send(record, callback);
        }

        // Blocks without MockProducer's lock, as a real client does, so that close() can run meanwhile.
        @SuppressWarnings("UnsynchronizedOverridesSynchronized")
        @Override
        public void flush() {
            if (moment == Moment.FAILED_THEN_CLOSED) {
                while (errorNext(new TimeoutException("Expiring 1 record(s)"))) {
                    // every record sent
                }
            }
            reached.countDown();
            awaitClose();
        }

        @Override
        public void close(Duration timeout) {
            closing.countDown();
            while (errorNext(new KafkaException("Producer is closed forcefully."))) {
                // every record still in flight
            }
            super.close(timeout);
        }

        private void awaitClose() {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
