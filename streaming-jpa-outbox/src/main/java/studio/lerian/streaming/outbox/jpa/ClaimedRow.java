package studio.lerian.streaming.outbox.jpa;

import java.time.Instant;
import java.time.OffsetDateTime;
import studio.lerian.streaming.spi.OutboxRow;

/**
 * A row a claim has locked, as read by the claim's projection ({@code id, seq, partitionKey, topic, envelope, attempts,
 * createdAt, nextAttemptAt}, in that order).
 */
record ClaimedRow(String id, long seq, String partitionKey, String topic, byte[] envelope, int attempts,
        Instant createdAt, Instant nextAttemptAt) {

    /** @param r a result row of the claim's projection */
    static ClaimedRow of(Object[] r) {
        return new ClaimedRow((String) r[0], (Long) r[1], (String) r[2], (String) r[3], (byte[]) r[4], (Integer) r[5],
                OutboxEventEntity.instant((OffsetDateTime) r[6]), OutboxEventEntity.instant((OffsetDateTime) r[7]));
    }

    /** @return what the relay is handed */
    OutboxRow toOutboxRow() {
        return new OutboxRow(id, partitionKey, topic, envelope, attempts, createdAt);
    }
}
