-- The kind of failure behind an Error Text and behind a failed audit row: an `ErrorCode` as the
-- API spells it (snake_case), which the app words in the staff's language. Adding a column is no
-- UPDATE, so the audit log's append-only triggers (0002) stay as they are.
ALTER TABLE tss ADD COLUMN error_code TEXT;
ALTER TABLE events ADD COLUMN error_code TEXT;
