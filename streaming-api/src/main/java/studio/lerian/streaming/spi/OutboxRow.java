package studio.lerian.streaming.spi;

import java.time.Instant;
import java.util.Objects;

/** A claimed outbox row, as the relay receives it from an {@link OutboxStore}. Immutable. */
public final class OutboxRow {

    private final String id;
    private final String partitionKey;
    private final String topic;
    private final byte[] envelope;
    private final int attempts;
    private final Instant createdAt;

    /**
     * @param id the row id; must not be {@code null}
     * @param partitionKey the event's partition key, the unit of ordering; must not be {@code null}
     * @param topic the stored destination topic; must not be {@code null}
     * @param envelope the envelope JSON, copied; must not be {@code null}
     * @param attempts how many relay attempts failed so far
     * @param createdAt when the row was written; must not be {@code null}
     */
    public OutboxRow(String id, String partitionKey, String topic, byte[] envelope, int attempts, Instant createdAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.partitionKey = Objects.requireNonNull(partitionKey, "partitionKey");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.envelope = Objects.requireNonNull(envelope, "envelope").clone();
        this.attempts = attempts;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** @return the row id */
    public String id() {
        return id;
    }

    /** @return the event's partition key */
    public String partitionKey() {
        return partitionKey;
    }

    /** @return the stored destination topic */
    public String topic() {
        return topic;
    }

    /** @return a copy of the envelope JSON */
    public byte[] envelope() {
        return envelope.clone();
    }

    /** @return the failed relay attempts so far */
    public int attempts() {
        return attempts;
    }

    /** @return when the row was written */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "OutboxRow{id=" + id + ", topic=" + topic + ", attempts=" + attempts + ", createdAt=" + createdAt + "}";
    }
}
