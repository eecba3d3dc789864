package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.core.internal.RecordSender;
import studio.lerian.streaming.core.internal.TestPublishers;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfig.OutboxSettings;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * How the strictly ordered relay publishes a key's run ({@link KeyRunPublisher}), against Kafka's {@code MockProducer}
 * whose flush answers each record as scripted: the run goes back to back in one flush; a failed row that a later row
 * of its key overtook is FAILED with a DLQ copy, not retried behind it; a failure with no acknowledged successor is
 * retried and stops the key; a key with a row that failed before goes one row at a time; a send that fails at once stops
 * its key's run from going further.
 */
class OutboxRelayKeyRunTest {

    private static final OutboxSettings STRICT = OutboxSettings.DEFAULTS;
    private static final StreamingConfig CONFIG = StreamingConfigLoader.load(Map.of(
            "streaming.enabled", "true", "streaming.brokers", "127.0.0.1:9",
            "streaming.cloudevents.source", "//lerian.midaz/transaction-service")::get);

    private final ScriptedProducer producer = new ScriptedProducer();
    private final RecordSender publisher = TestPublishers.over(producer, CONFIG);
    private final ScheduledThreadPoolExecutor unusedScheduler = new ScheduledThreadPoolExecutor(1);
    private final List<OutboxRow> claimed = new ArrayList<>();
    private final Map<String, String> idsByLabel = new HashMap<>();
    private final Map<String, String> labelsById = new HashMap<>();
    private final RecordingBatch batch = new RecordingBatch();
    private final OutboxRelay relay = new OutboxRelay(new OneBatchStore(), publisher, STRICT, false,
            RowOwnership.of(Catalog.empty(), true), new BacklogFlag(), "relay-1", unusedScheduler, false,
            Telemetry.NOOP);

    @AfterEach
    void stop() {
        relay.close();
        publisher.close();
        unusedScheduler.shutdownNow();
    }

    @Test
    void aHotKeysRunGoesBackToBackInOneFlush() {
        claim("t-hot", "created", 0, 50);
        claim("t-cold", "created", 0, 3);

        relay.pollOnce();

        assertEquals(1, producer.flushes, "one round for every key: no round trip per row");
        assertEquals(sequence("t-hot", 0, 50), producer.sent("t-hot"), "the hot key's rows in creation order");
        assertEquals(sequence("t-cold", 0, 3), producer.sent("t-cold"));
        assertEquals(53, batch.published.size());
        assertTrue(batch.failed.isEmpty() && batch.retried.isEmpty());
    }

    /**
     * The unsafe case: the client fails row 1 for good (its batch expired) but delivers rows 2 to 4, which were in
     * flight behind it. Retried later, row 1 would reach the topic after row 4.
     */
    @Test
    void aFailedRowThatALaterRowOfItsKeyOvertookIsFailedWithADlqCopyNotRetriedBehindIt() {
        claim("t-1", "created", 0, 5);
        producer.failAtFlush.put("t-1#1", new TimeoutException("Expiring 1 record(s): 30000 ms has passed"));

        relay.pollOnce();

        assertEquals(Set.of(label(0), label(2), label(3), label(4)), batch.publishedLabels());
        assertEquals(Set.of(label(1)), batch.failed.keySet(), "FAILED at once, not retried behind its successors");
        assertTrue(batch.retried.isEmpty(), "nothing is left to be retried out of order: " + batch.retried);
        String lastError = batch.failed.get(label(1));
        assertTrue(lastError.startsWith("not retried, to keep its key's order: a later row of the same key and topic, "
                + id("t-1#2") + ", was acknowledged"), lastError);
        assertTrue(lastError.contains("Expiring 1 record(s)"), lastError);
        assertEquals(1, batch.failedAttempts.get(label(1)));
        assertEquals(List.of("t-1#1"), producer.dlq, "the policy allows a DLQ copy");
    }

    /**
     * Relaxed order promises no order within a key, so a failure stops nothing: every acknowledged row is published
     * (recorded, not left to be sent again), the failed one retried later. Before, the rest of a key after its first
     * failure got no outcome and went to the broker a second time at the next poll.
     */
    @Test
    void relaxedOrderRecordsEveryAcknowledgedRowOfAKeyEvenAfterAFailedOne() {
        OutboxSettings relaxed = StreamingConfigLoader.load(Map.of("streaming.enabled", "true",
                "streaming.brokers", "127.0.0.1:9", "streaming.cloudevents.source", "//lerian.midaz/transaction-service",
                "streaming.outbox.ordering", "relaxed")::get).outbox();
        OutboxRelay relaxedRelay = new OutboxRelay(new OneBatchStore(), publisher, relaxed, false,
                RowOwnership.of(Catalog.empty(), true), new BacklogFlag(), "relay-2", unusedScheduler, false,
                Telemetry.NOOP);
        try {
            claim("t-1", "created", 0, 5);
            producer.failAtFlush.put("t-1#1", new TimeoutException("Expiring 1 record(s)"));

            relaxedRelay.pollOnce();

            assertEquals(Set.of(label(0), label(2), label(3), label(4)), batch.publishedLabels(),
                    "every acknowledged row is recorded, so none is sent twice");
            assertEquals(Map.of(label(1), 1), batch.retried, "the failed row is retried later");
            assertTrue(batch.failed.isEmpty());
        } finally {
            relaxedRelay.close();
        }
    }

    @Test
    void aFailureWithNoAcknowledgedSuccessorIsRetriedAndTheRestOfTheKeyGetsNoOutcome() {
        claim("t-1", "created", 0, 5);
        claim("t-2", "created", 0, 2);
        for (int i = 2; i < 5; i++) {
            producer.failAtFlush.put("t-1#" + i, new TimeoutException("Expiring 3 record(s)"));
        }

        relay.pollOnce();

        assertEquals(Set.of(label(0), label(1), "t-2#0", "t-2#1"), batch.publishedLabels());
        assertEquals(Map.of(label(2), 1), batch.retried, "the first failure is retried later, with backoff");
        assertTrue(batch.failed.isEmpty());
        assertTrue(producer.dlq.isEmpty());
    }

    /** Other topics hold other partitions: a later row of the key there says nothing about the failed row's order. */
    @Test
    void aLaterRowOfTheKeyOnAnotherTopicDoesNotOvertakeTheFailedRow() {
        claim("t-1", "created", 0, 1);
        claim("t-1", "reversed", 1, 1);
        producer.failAtFlush.put("t-1#0", new TimeoutException("Expiring 1 record(s)"));

        relay.pollOnce();

        assertEquals(Map.of(label(0), 1), batch.retried);
        assertEquals(Set.of(label(1)), batch.publishedLabels(), "on the broker already: published, not sent again");
        assertTrue(batch.failed.isEmpty());
    }

    @Test
    void aKeyGoesOneRowAtATimeUpToItsRowsThatFailedBeforeThenBackToBack() {
        claim("t-retry", "created", 0, 2, 1); // the first two rows failed once before
        claim("t-retry", "created", 2, 3);
        claim("t-hot", "created", 0, 10);

        relay.pollOnce();

        assertEquals(List.of(11, 1, 3), producer.sentPerFlush,
                "row 0 with the other key's whole run, row 1 alone, then the rest of the key at once");
        assertEquals(sequence("t-retry", 0, 5), producer.sent("t-retry"));
        assertEquals(15, batch.published.size());
    }

    @Test
    void aRowThatFailsAgainGoesAloneWithNothingOfItsKeyBehindIt() {
        claim("t-retry", "created", 0, 1, 2);
        claim("t-retry", "created", 1, 3);
        producer.failAtFlush.put("t-retry#0", new TimeoutException("Expiring 1 record(s)"));

        relay.pollOnce();

        assertEquals(List.of("t-retry#0"), producer.sent("t-retry"), "no later row of the key went with it");
        assertEquals(Map.of("t-retry#0", 3), batch.retried);
        assertTrue(batch.published.isEmpty() && batch.failed.isEmpty());
    }

    @Test
    void aSendThatFailsAtOnceStopsItsKeysRunFromGoingFurther() {
        claim("t-1", "created", 0, 5);
        claim("t-2", "created", 0, 2);
        producer.failAtSend.put("t-1#1", new TimeoutException("Topic not present in metadata after 15000 ms."));

        relay.pollOnce();

        assertEquals(List.of(label(0), label(1)), producer.sent("t-1"), "rows 2 to 4 were never handed over");
        assertEquals(Set.of(label(0), "t-2#0", "t-2#1"), batch.publishedLabels());
        assertEquals(Map.of(label(1), 1), batch.retried);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String label(int seq) {
        return "t-1#" + seq;
    }

    private static List<String> sequence(String key, int from, int count) {
        List<String> labels = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            labels.add(key + "#" + i);
        }
        return labels;
    }

    private String id(String label) {
        return idsByLabel.get(label);
    }

    private void claim(String key, String eventType, int firstSeq, int count) {
        claim(key, eventType, firstSeq, count, 0);
    }

    /** Claims rows of the key numbered from firstSeq, their payload {"seq":n}; the row id maps back to "key#n". */
    private void claim(String key, String eventType, int firstSeq, int count, int attempts) {
        for (int seq = firstSeq; seq < firstSeq + count; seq++) {
            ResolvedEvent event = ResolvedEvent.builder().tenantId(key).resourceType("transaction")
                    .eventType(eventType).eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                    .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                    .source("//lerian.midaz/transaction-service").dataContentType("application/json")
                    .payload(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8)).build();
            OutboxEnvelope envelope = OutboxEnvelope.of("transaction." + eventType, DeliveryPolicy.defaults(), event);
            String id = UUID.randomUUID().toString();
            idsByLabel.put(key + "#" + seq, id);
            labelsById.put(id, key + "#" + seq);
            claimed.add(new OutboxRow(id, key, event.topic(), envelope.toJson(), attempts,
                    Instant.parse("2026-04-18T10:00:00Z").plusMillis(claimed.size())));
        }
    }

    /** "key#seq" of a record the relay sent, from its key and its payload. */
    private static String labelOf(ProducerRecord<byte[], byte[]> record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        return new String(record.key(), StandardCharsets.UTF_8) + "#" + value.replaceAll("[^0-9]", "");
    }

    /**
     * Holds each record until a flush, which answers the held records in the order they were sent: the scripted
     * failure, else an acknowledgement. A scripted send failure is reported at once, as the real client reports a
     * send() that failed (no metadata in time, a full buffer). DLQ copies are acknowledged at once and kept apart.
     */
    private static final class ScriptedProducer extends MockProducer<byte[], byte[]> {
        final Map<String, RuntimeException> failAtFlush = new HashMap<>();
        final Map<String, RuntimeException> failAtSend = new HashMap<>();
        final List<String> dlq = new ArrayList<>();
        final List<Integer> sentPerFlush = new ArrayList<>();
        private final List<String> handedOver = new ArrayList<>();
        int flushes;
        private int answered;

        ScriptedProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            RuntimeException atSend = failAtSend.get(labelOf(record));
            if (!record.topic().endsWith(".dlq")) {
                handedOver.add(labelOf(record));
            }
            if (record.topic().endsWith(".dlq") || atSend != null) {
                RecordMetadata metadata = new RecordMetadata(new TopicPartition(record.topic(), 0), 0, 0, 0, 0, 0);
                if (atSend != null) {
                    callback.onCompletion(metadata, atSend);
                    return CompletableFuture.failedFuture(atSend);
                }
                dlq.add(labelOf(record));
                callback.onCompletion(metadata, null);
                return CompletableFuture.completedFuture(metadata);
            }
            return super.send(record, callback);
        }

        @Override
        public synchronized void flush() {
            flushes++;
            List<ProducerRecord<byte[], byte[]>> sent = history();
            sentPerFlush.add(sent.size() - answered);
            while (answered < sent.size()) {
                RuntimeException failure = failAtFlush.get(labelOf(sent.get(answered++)));
                if (failure == null) {
                    completeNext();
                } else {
                    errorNext(failure);
                }
            }
        }

        /** The key's records handed to the client, those whose send failed at once included, in order. */
        synchronized List<String> sent(String key) {
            return handedOver.stream().filter(label -> label.startsWith(key + "#")).toList();
        }
    }

    /** Records the outcomes the relay gives; labels rows "key#seq". */
    private final class RecordingBatch implements OutboxBatch {
        final List<String> published = new ArrayList<>();
        final Map<String, String> failed = new LinkedHashMap<>();
        final Map<String, Integer> failedAttempts = new HashMap<>();
        final Map<String, Integer> retried = new LinkedHashMap<>();

        /** Which rows were published (the order they were recorded in does not matter). */
        Set<String> publishedLabels() {
            return Set.copyOf(published);
        }

        @Override
        public List<OutboxRow> rows() {
            return claimed;
        }

        @Override
        public void published(String id) {
            published.add(labelsById.get(id));
        }

        @Override
        public void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
            retried.put(labelsById.get(id), attempts);
        }

        @Override
        public void failed(String id, int attempts, String lastError) {
            failed.put(labelsById.get(id), lastError);
            failedAttempts.put(labelsById.get(id), attempts);
        }

        @Override
        public void invalid(String id, String lastError) {
            throw new AssertionError("every test row is valid: " + labelsById.get(id) + " " + lastError);
        }

        @Override
        public void commit() {
        }

        @Override
        public void close() {
        }
    }

    /** Hands the claimed rows out once, as one held batch. */
    private final class OneBatchStore implements OutboxStore {
        private boolean claimedOnce;

        @Override
        public OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
            assertTrue(!claimedOnce, "one poll per test");
            claimedOnce = true;
            return batch;
        }

        @Override
        public int reclaimStuck(Instant claimedBefore) {
            return 0;
        }

        @Override
        public OutboxBacklog backlog() {
            return OutboxBacklog.EMPTY;
        }

        @Override
        public boolean hasUnpublished(String partitionKey) {
            return false;
        }

        @Override
        public int purgePublished(Instant publishedBefore) {
            return 0;
        }
    }
}
