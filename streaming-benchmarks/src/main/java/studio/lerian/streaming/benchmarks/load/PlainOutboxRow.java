package studio.lerian.streaming.benchmarks.load;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * The fallback scenario's baseline: the outbox row as an application would map and insert it by hand, with no
 * library involved. Same table, same columns, same values as the row the library's writer inserts.
 */
@Entity(name = "BenchPlainOutboxRow")
@Table(name = "lerian_streaming_outbox")
public class PlainOutboxRow {

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "relay_type", length = 64, nullable = false)
    private String relayType;

    @Column(name = "aggregate_id", length = 36, nullable = false)
    private String aggregateId;

    @Column(name = "partition_key", length = 256, nullable = false)
    private String partitionKey;

    @Column(name = "topic", length = 255, nullable = false)
    private String topic;

    @Column(name = "envelope", length = Integer.MAX_VALUE, nullable = false)
    private byte[] envelope;

    @Column(name = "status", length = 16, nullable = false)
    private String status;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    private OffsetDateTime nextAttemptAt;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA. */
    protected PlainOutboxRow() {
    }

    /**
     * A due pending row.
     *
     * @param id the row id
     * @param aggregateId the event's aggregate id
     * @param partitionKey the partition key (the tenant)
     * @param topic the topic
     * @param envelope the stored envelope
     * @param now creation time, also the first attempt time
     */
    public PlainOutboxRow(String id, String aggregateId, String partitionKey, String topic, byte[] envelope,
            OffsetDateTime now) {
        this.id = id;
        this.relayType = "lerian.streaming.publish";
        this.aggregateId = aggregateId;
        this.partitionKey = partitionKey;
        this.topic = topic;
        this.envelope = envelope;
        this.status = "PENDING";
        this.nextAttemptAt = now;
        this.createdAt = now;
        this.updatedAt = now;
    }
}
