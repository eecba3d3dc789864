-- lib-streaming transactional outbox, PostgreSQL 12+: the outbox table as first released (before relay lanes).
-- A released migration is never edited: every later change of the schema ships as a new version.
CREATE TABLE lerian_streaming_outbox (
    id              VARCHAR(36)              NOT NULL,
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    relay_type      VARCHAR(64)              NOT NULL,
    aggregate_id    VARCHAR(36)              NOT NULL,
    partition_key   VARCHAR(256)             NOT NULL,
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
