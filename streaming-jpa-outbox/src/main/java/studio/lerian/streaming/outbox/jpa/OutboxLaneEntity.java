package studio.lerian.streaming.outbox.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A relay lane of the outbox table: which relay instance publishes the rows whose {@linkplain
 * studio.lerian.streaming.wire.Lanes#lane lane} it is, and until when its lease runs. Mapped to
 * {@value #TABLE}; the relays create the rows and change them with bulk updates only.
 */
@Entity(name = OutboxLaneEntity.ENTITY_NAME)
@Table(name = OutboxLaneEntity.TABLE)
public class OutboxLaneEntity {

    /** The JPQL entity name: {@value}. */
    public static final String ENTITY_NAME = "LerianStreamingOutboxLane";

    /** The table name: {@value}. */
    public static final String TABLE = "lerian_streaming_outbox_lane";

    @Id
    @Column(name = "lane", nullable = false, updatable = false)
    private int lane;

    @Column(name = "owner", length = 255)
    private String owner;

    @Column(name = "epoch", nullable = false)
    private long epoch;

    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;

    /** For the persistence provider. */
    protected OutboxLaneEntity() {
    }

    /** @param lane a new lane, without an owner */
    OutboxLaneEntity(int lane) {
        this.lane = lane;
    }

    /** @return the lane number, from 0 */
    public int getLane() {
        return lane;
    }

    /** @return the relay holding the lane, or {@code null} */
    public String getOwner() {
        return owner;
    }

    /** @return how many times the lane has changed owner */
    public long getEpoch() {
        return epoch;
    }

    /** @return when the owner's lease ends, or {@code null} without an owner */
    public Instant getExpiresAt() {
        return OutboxEventEntity.instant(expiresAt);
    }

    @Override
    public String toString() {
        return "OutboxLaneEntity{lane=" + lane + ", owner=" + owner + ", epoch=" + epoch + "}";
    }
}
