-- Refresh of every TSS as one durable operation (the same as SQLite's 0009_fleet_refresh.sql,
-- which says why).
ALTER TABLE operations ADD COLUMN items_total BIGINT;
ALTER TABLE operations ADD COLUMN items_read BIGINT;
ALTER TABLE operations ADD COLUMN items_failed BIGINT;
ALTER TABLE operations ADD COLUMN unknown_at_fiskaly BIGINT;
CREATE UNIQUE INDEX one_running_fleet_refresh
    ON operations (kind) WHERE status = 'running' AND kind = 'refresh_all';
CREATE INDEX operations_by_kind ON operations (kind, id);
ALTER TABLE tss ADD COLUMN refresh_run BIGINT;
