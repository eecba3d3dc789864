-- lib-streaming transactional outbox, H2 2.2+: the outbox table as first released (before relay lanes).
-- A released migration is never edited: every later change of the schema ships as a new version.
CREATE TABLE lerian_streaming_outbox (
    id              VARCHAR(36)              NOT NULL,
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    relay_type      VARCHAR(64)              NOT NULL,
    aggregate_id    VARCHAR(36)              NOT NULL,
    partition_key   VARCHAR(256)             NOT NULL,
    topic           VARCHAR(255)             NOT NULL,
    envelope        VARBINARY(1048576)       NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    attempts        INTEGER                  DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_error      VARCHAR(1024),
    claimed_by      VARCHAR(255),
    claimed_at      TIMESTAMP(6) WITH TIME ZONE,
    created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    published_at    TIMESTAMP(6) WITH TIME ZONE,
    version         BIGINT                   DEFAULT 0 NOT NULL,
    CONSTRAINT lerian_streaming_outbox_pk PRIMARY KEY (id),
    CONSTRAINT lerian_streaming_outbox_seq_uk UNIQUE (seq),
    CONSTRAINT lerian_streaming_outbox_status_ck
        CHECK (status IN ('PENDING', 'PROCESSING', 'PUBLISHED', 'FAILED', 'INVALID'))
);

-- H2 has no partial indexes: status leads instead.
CREATE INDEX lerian_streaming_outbox_due_idx ON lerian_streaming_outbox (status, seq, next_attempt_at);
CREATE INDEX lerian_streaming_outbox_key_idx ON lerian_streaming_outbox (partition_key, status, seq);
CREATE INDEX lerian_streaming_outbox_claimed_idx ON lerian_streaming_outbox (status, claimed_at);
CREATE INDEX lerian_streaming_outbox_published_idx ON lerian_streaming_outbox (status, published_at);
