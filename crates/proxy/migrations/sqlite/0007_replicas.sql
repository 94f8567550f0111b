-- Several proxy replicas on one database (on Postgres; SQLite has one replica, the same columns).
-- A running operation is owned by the replica that runs it until `lease_until_ms`; the owner
-- renews the lease while it runs, and another replica takes over an operation whose lease ran out.
ALTER TABLE operations ADD COLUMN owner TEXT;
ALTER TABLE operations ADD COLUMN lease_until_ms INTEGER NOT NULL DEFAULT 0;

-- Which client of a terminal is newest, without SQLite's rowid: a number in order of insertion.
ALTER TABLE clients ADD COLUMN seq INTEGER;
UPDATE clients SET seq = rowid;
CREATE TRIGGER clients_are_numbered AFTER INSERT ON clients
BEGIN
    UPDATE clients SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

-- Failed logins, shared by every replica: five failures spread over two replicas lock the name.
CREATE TABLE login_failures (
    key    TEXT    NOT NULL,
    at_ms  INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at_ms);

-- The replicas serving this database, each seen within the last seconds while it runs.
CREATE TABLE replicas (
    name        TEXT    PRIMARY KEY,
    demo        INTEGER NOT NULL,
    seen_at_ms  INTEGER NOT NULL
);
