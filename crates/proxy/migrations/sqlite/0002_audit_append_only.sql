-- The audit log is append-only: the database itself refuses to change or remove a row.
CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'audit rows are never changed');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'audit rows are never removed');
END;

CREATE INDEX events_by_time ON events (id DESC);
