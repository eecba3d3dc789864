-- The application's own table (H2 and PostgreSQL alike). The outbox tables come from the library's migrations.
CREATE TABLE payments (
    id           VARCHAR(36)              NOT NULL PRIMARY KEY,
    merchant_id  VARCHAR(64)              NOT NULL,
    amount_cents BIGINT                   NOT NULL,
    currency     VARCHAR(3)               NOT NULL,
    captured_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
