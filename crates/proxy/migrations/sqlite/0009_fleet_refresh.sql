-- Refresh of every TSS as one durable operation ('refresh_all', no store): its counts, and on
-- each TSS the run that last dealt with it, so that a resumed run reads only the TSS it has not
-- dealt with yet and its counts stay exact. Only one runs at a time, whichever replica asks.
ALTER TABLE operations ADD COLUMN items_total INTEGER;
ALTER TABLE operations ADD COLUMN items_read INTEGER;
ALTER TABLE operations ADD COLUMN items_failed INTEGER;
ALTER TABLE operations ADD COLUMN unknown_at_fiskaly INTEGER;
CREATE UNIQUE INDEX one_running_fleet_refresh
    ON operations (kind) WHERE status = 'running' AND kind = 'refresh_all';
CREATE INDEX operations_by_kind ON operations (kind, id);
ALTER TABLE tss ADD COLUMN refresh_run INTEGER;
