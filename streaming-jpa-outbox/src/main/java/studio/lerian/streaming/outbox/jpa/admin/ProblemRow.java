package studio.lerian.streaming.outbox.jpa.admin;

import java.time.Instant;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/**
 * A {@code FAILED} or {@code INVALID} outbox row as an operator sees it: where it was going and why it stopped, never
 * its envelope (the event's payload may hold personal data).
 *
 * @param id the row's id
 * @param seq its position in the table's order ({@code seq})
 * @param topic the Kafka topic it was bound for
 * @param partitionKey its partition key
 * @param status {@code FAILED} or {@code INVALID}
 * @param attempts how many times the relay tried it
 * @param lastError the last error recorded (credentials masked), or {@code null}
 * @param createdAt when it was written
 * @param updatedAt when it last changed
 */
public record ProblemRow(String id, long seq, String topic, String partitionKey, OutboxStatus status, int attempts,
        String lastError, Instant createdAt, Instant updatedAt) {
}
