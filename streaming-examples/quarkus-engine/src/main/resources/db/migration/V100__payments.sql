-- The application's own table, written in the same transaction as the outbox row of its event.
CREATE TABLE payment (
    id VARCHAR(64) PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL,
    amount_cents BIGINT NOT NULL
);
