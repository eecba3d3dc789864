-- lib-streaming transactional outbox, H2: relay lanes (the rows' key hash, the lane and relay tables).
ALTER TABLE lerian_streaming_outbox ADD COLUMN IF NOT EXISTS key_hash BIGINT;

CREATE INDEX IF NOT EXISTS lerian_streaming_outbox_unhashed_idx ON lerian_streaming_outbox (key_hash, status, seq);

CREATE TABLE IF NOT EXISTS lerian_streaming_outbox_lane (
    lane            INTEGER                  NOT NULL,
    owner           VARCHAR(255),
    epoch           BIGINT                   DEFAULT 0 NOT NULL,
    expires_at      TIMESTAMP(6) WITH TIME ZONE,
    CONSTRAINT lerian_streaming_outbox_lane_pk PRIMARY KEY (lane)
);

CREATE TABLE IF NOT EXISTS lerian_streaming_outbox_relay (
    relay_id        VARCHAR(255)             NOT NULL,
    heartbeat_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT lerian_streaming_outbox_relay_pk PRIMARY KEY (relay_id)
);
