-- lib-streaming transactional outbox, PostgreSQL 12+.
-- Apply with your migration tool (Flyway, Liquibase, ...); the library never creates or alters the table.
CREATE TABLE lerian_streaming_outbox (
    id              VARCHAR(36)              NOT NULL,
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    relay_type      VARCHAR(64)              NOT NULL,
    aggregate_id    VARCHAR(36)              NOT NULL,
    partition_key   VARCHAR(256)             NOT NULL,
    key_hash        BIGINT,
    topic           VARCHAR(255)             NOT NULL,
    envelope        BYTEA                    NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    attempts        INTEGER                  NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error      VARCHAR(1024),
    claimed_by      VARCHAR(255),
    claimed_at      TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at    TIMESTAMP WITH TIME ZONE,
    version         BIGINT                   NOT NULL DEFAULT 0,
    CONSTRAINT lerian_streaming_outbox_pk PRIMARY KEY (id),
    CONSTRAINT lerian_streaming_outbox_status_ck
        CHECK (status IN ('PENDING', 'PROCESSING', 'PUBLISHED', 'FAILED', 'INVALID'))
);

-- Claims: due pending rows in seq order (relaxed and strict heads), walked in index order and cut by LIMIT.
-- It is the only index in seq order, on purpose: seq values are unique by their identity, and a unique index over all
-- rows would let the planner walk the published history in seq order, filtering out every published row, whenever
-- the statistics still describe the table as mostly pending (after a burst, before ANALYZE), which cost a second per
-- claim on a 200,000-row backlog.
CREATE INDEX lerian_streaming_outbox_due_idx
    ON lerian_streaming_outbox (seq, next_attempt_at) WHERE status = 'PENDING';

-- Rows parked without a key hash (by a writer that predates lanes, or by another library sharing the table): the
-- relays hash them before claiming, and claim no row after the oldest of them.
CREATE INDEX lerian_streaming_outbox_unhashed_idx
    ON lerian_streaming_outbox (seq) WHERE key_hash IS NULL AND status IN ('PENDING', 'PROCESSING');

-- Strict order's lookup in every emit while a backlog exists: hasUnpublished(key).
-- Partial, so it only holds the backlog, not the published history.
CREATE INDEX lerian_streaming_outbox_key_idx
    ON lerian_streaming_outbox (partition_key, seq) WHERE status IN ('PENDING', 'PROCESSING');

-- Claimed (PROCESSING) rows: reclaimStuck, and the keys a strict claim must leave to the relay that claimed them.
CREATE INDEX lerian_streaming_outbox_claimed_idx
    ON lerian_streaming_outbox (claimed_at) WHERE status = 'PROCESSING';

-- purgePublished: the retention sweep.
CREATE INDEX lerian_streaming_outbox_published_idx
    ON lerian_streaming_outbox (published_at) WHERE status = 'PUBLISHED';

-- Relay lanes: each lane (key_hash modulo the number of lanes) is relayed by one relay instance at a time, its owner,
-- until its lease expires; epoch counts the lane's changes of owner. The relays create the rows.
CREATE TABLE lerian_streaming_outbox_lane (
    lane            INTEGER                  NOT NULL,
    owner           VARCHAR(255),
    epoch           BIGINT                   NOT NULL DEFAULT 0,
    expires_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT lerian_streaming_outbox_lane_pk PRIMARY KEY (lane)
);

-- Relay instances sharing the lanes: one row per live relay, renewed by its heartbeat; a relay whose row has expired
-- is dead, and its lanes go to the others.
CREATE TABLE lerian_streaming_outbox_relay (
    relay_id        VARCHAR(255)             NOT NULL,
    heartbeat_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT lerian_streaming_outbox_relay_pk PRIMARY KEY (relay_id)
);
