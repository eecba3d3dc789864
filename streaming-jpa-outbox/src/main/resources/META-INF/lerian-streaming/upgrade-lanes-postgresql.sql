-- lib-streaming transactional outbox, PostgreSQL: upgrade of a table created before relay lanes.
-- Safe on a live table: the new column is nullable (no rewrite), the indexes are built without blocking writes (run
-- this file outside a transaction block, as psql does by default), and rows parked before the upgrade, or by writers
-- not yet upgraded, are hashed by the relays as they go. Upgrade every instance's library after applying it.
ALTER TABLE lerian_streaming_outbox ADD COLUMN IF NOT EXISTS key_hash BIGINT;

CREATE INDEX CONCURRENTLY IF NOT EXISTS lerian_streaming_outbox_unhashed_idx
    ON lerian_streaming_outbox (seq) WHERE key_hash IS NULL AND status IN ('PENDING', 'PROCESSING');

CREATE TABLE IF NOT EXISTS lerian_streaming_outbox_lane (
    lane            INTEGER                  NOT NULL,
    owner           VARCHAR(255),
    epoch           BIGINT                   NOT NULL DEFAULT 0,
    expires_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT lerian_streaming_outbox_lane_pk PRIMARY KEY (lane)
);

CREATE TABLE IF NOT EXISTS lerian_streaming_outbox_relay (
    relay_id        VARCHAR(255)             NOT NULL,
    heartbeat_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT lerian_streaming_outbox_relay_pk PRIMARY KEY (relay_id)
);
