package studio.lerian.streaming.outbox.jpa;

/** The states of an outbox row, stored by name in the {@code status} column. */
public enum OutboxStatus {
    /** Waiting to be relayed; due once {@code next_attempt_at} has passed. */
    PENDING,
    /** Claimed by a relay ({@code claimed_by}, {@code claimed_at}). */
    PROCESSING,
    /** On Kafka. */
    PUBLISHED,
    /** Attempts exhausted; left for an operator. */
    FAILED,
    /** The envelope cannot be replayed (unreadable, tampered or of an unknown version). */
    INVALID
}
