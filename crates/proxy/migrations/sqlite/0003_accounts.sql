-- Accounts, sessions, and who did what.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    created_at     INTEGER NOT NULL
);

-- A session is known by the SHA-256 of its cookie token: the database never holds a usable token.
CREATE TABLE sessions (
    token_hash     TEXT    PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Rows written before accounts existed were the proxy's own or an anonymous caller's.
ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT 'system';
ALTER TABLE operations ADD COLUMN requested_by TEXT NOT NULL DEFAULT 'system';
