-- tss-console's storage. Every table is written only through crates/proxy/src/storage.

CREATE TABLE stores (
    id          INTEGER PRIMARY KEY,
    number      TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    street      TEXT    NOT NULL,
    city        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE terminals (
    id             INTEGER PRIMARY KEY,
    store_id       INTEGER NOT NULL REFERENCES stores (id),
    number         TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    serial_number  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (store_id, number)
);

-- One row per TSS the console created or adopted. The admin PUK is written in the same
-- transaction that records the creation step, before the TSS leaves CREATED at fiskaly.
CREATE TABLE tss (
    tss_id          TEXT    PRIMARY KEY,
    store_id        INTEGER NOT NULL REFERENCES stores (id),
    state           TEXT    NOT NULL,
    description     TEXT,
    error_text      TEXT,
    admin_puk       TEXT,
    admin_pin       TEXT,
    time_creation   INTEGER,
    time_init       INTEGER,
    time_disable    INTEGER,
    last_synced_at  INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX tss_by_store ON tss (store_id);

CREATE TABLE clients (
    client_id    TEXT    PRIMARY KEY,
    terminal_id  INTEGER NOT NULL REFERENCES terminals (id),
    tss_id       TEXT    NOT NULL REFERENCES tss (tss_id),
    state        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX clients_by_terminal ON clients (terminal_id);
CREATE INDEX clients_by_tss ON clients (tss_id);

-- Durable operations: recorded before their first fiskaly call, advanced step by step, resumed
-- at start-up while 'running'. The partial unique indexes make "never twice at once" a database
-- guarantee rather than a hope.
CREATE TABLE operations (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    store_id     INTEGER,
    tss_id       TEXT,
    terminal_id  INTEGER,
    client_id    TEXT,
    step         TEXT    NOT NULL,
    step_number  INTEGER NOT NULL,
    total_steps  INTEGER NOT NULL,
    last_error   TEXT,
    started_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX one_running_operation_per_tss
    ON operations (tss_id) WHERE status = 'running' AND tss_id IS NOT NULL;
CREATE UNIQUE INDEX one_running_operation_per_terminal
    ON operations (terminal_id) WHERE status = 'running' AND terminal_id IS NOT NULL;
CREATE UNIQUE INDEX one_running_generate_per_store
    ON operations (store_id) WHERE status = 'running' AND kind = 'generate_tss';

-- What happened, for the audit log; rows are only ever appended.
CREATE TABLE events (
    id                  INTEGER PRIMARY KEY,
    at                  INTEGER NOT NULL,
    action              TEXT    NOT NULL,
    store_id            INTEGER,
    tss_id              TEXT,
    terminal_id         INTEGER,
    result              TEXT    NOT NULL,
    error               TEXT
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
