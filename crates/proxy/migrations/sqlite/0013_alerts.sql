-- Alerts: one per cause (`cannot_sign:<store>`, `tss_error:<tss>`, …) while it lasts (a
-- partial unique index, so replicas raising the same one at once make one), resolved when the
-- cause goes away, acknowledged by staff.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT   NOT NULL,
    cause           TEXT   NOT NULL,
    store_id        BIGINT NOT NULL,
    tss_id          TEXT,
    text_de         TEXT   NOT NULL,
    text_en         TEXT   NOT NULL,
    raised_at       BIGINT NOT NULL,
    resolved_at     BIGINT,
    acknowledged_by TEXT,
    acknowledged_at BIGINT
);
CREATE UNIQUE INDEX one_open_alert_per_cause ON alerts (cause) WHERE resolved_at IS NULL;
CREATE INDEX alerts_newest_first ON alerts (id);
