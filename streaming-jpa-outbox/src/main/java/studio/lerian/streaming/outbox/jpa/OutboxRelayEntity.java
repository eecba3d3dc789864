package studio.lerian.streaming.outbox.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A relay instance sharing the outbox's lanes, alive while its heartbeat renews {@code expires_at}. Mapped to
 * {@value #TABLE}; each relay writes its own row.
 */
@Entity(name = OutboxRelayEntity.ENTITY_NAME)
@Table(name = OutboxRelayEntity.TABLE)
public class OutboxRelayEntity {

    /** The JPQL entity name: {@value}. */
    public static final String ENTITY_NAME = "LerianStreamingOutboxRelay";

    /** The table name: {@value}. */
    public static final String TABLE = "lerian_streaming_outbox_relay";

    @Id
    @Column(name = "relay_id", length = 255, nullable = false, updatable = false)
    private String relayId;

    @Column(name = "heartbeat_at", nullable = false)
    private OffsetDateTime heartbeatAt;

    @Column(name = "expires_at", nullable = false)
    private OffsetDateTime expiresAt;

    /** For the persistence provider. */
    protected OutboxRelayEntity() {
    }

    OutboxRelayEntity(String relayId, Instant heartbeatAt, Instant expiresAt) {
        this.relayId = relayId;
        this.heartbeatAt = OutboxEventEntity.utc(heartbeatAt);
        this.expiresAt = OutboxEventEntity.utc(expiresAt);
    }

    /** @return the relay's id */
    public String getRelayId() {
        return relayId;
    }

    /** @return the relay's last heartbeat */
    public Instant getHeartbeatAt() {
        return OutboxEventEntity.instant(heartbeatAt);
    }

    /** @return when the relay counts as gone unless it beats again */
    public Instant getExpiresAt() {
        return OutboxEventEntity.instant(expiresAt);
    }

    @Override
    public String toString() {
        return "OutboxRelayEntity{relayId=" + relayId + "}";
    }
}
