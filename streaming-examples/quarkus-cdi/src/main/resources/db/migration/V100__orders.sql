-- The application's own table, written in the same transaction as the outbox row of its event.
CREATE TABLE customer_order (
    id VARCHAR(64) PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL,
    status VARCHAR(16) NOT NULL
);
