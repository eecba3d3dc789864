-- lib-streaming transactional outbox, PostgreSQL: relay lanes (the rows' key hash, the lane and relay tables).
-- Runs outside a transaction (V2__relay_lanes.sql.conf): the index is built CONCURRENTLY, without blocking the
-- writers of a live table. Each statement can run again, so a migration interrupted halfway can be repaired and
-- repeated. The new column is nullable (no table rewrite); rows parked before it are hashed by the relays.
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
