-- Webhooks: where an administrator wants to hear of new alerts (kinds: a comma-separated list of
-- alert kinds; the secret sealed like the PUKs), and each alert's delivery to each webhook (one
-- at most: the unique pair), with its attempts.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    url        TEXT   NOT NULL,
    kinds      TEXT   NOT NULL,
    enabled    BIGINT NOT NULL,
    secret     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    alert_id        BIGINT NOT NULL REFERENCES alerts (id),
    status          TEXT   NOT NULL DEFAULT 'pending',
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    last_attempt_at BIGINT,
    last_status     BIGINT,
    last_error      TEXT,
    delivered_at    BIGINT,
    UNIQUE (webhook_id, alert_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
