-- Operations on many POS terminals (Replace TSS, Generate Client IDs for all): for each terminal
-- the TSS and the client ID chosen before fiskaly is called (so that a resumed run registers
-- the same client, which fiskaly then answers again), and how it ended.
CREATE TABLE operation_items (
    operation_id BIGINT  NOT NULL REFERENCES operations (id),
    terminal_id  BIGINT  NOT NULL REFERENCES terminals (id) ON DELETE CASCADE,
    tss_id       TEXT    NOT NULL,
    client_id    TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'running',
    error_text   TEXT,
    error_code   TEXT,
    PRIMARY KEY (operation_id, terminal_id)
);
CREATE INDEX operation_items_of_terminal ON operation_items (terminal_id, operation_id);
-- Replace TSS: the operation's TSS is the new one; this is the one it replaces, and whether the
-- user confirmed that the old one be disabled.
ALTER TABLE operations ADD COLUMN replaces_tss_id TEXT;
ALTER TABLE operations ADD COLUMN disable_replaced BIGINT NOT NULL DEFAULT 0;
-- The TSS that replaced a TSS (Replace TSS succeeded): it is offered no second replacement, and
-- its certificate no longer counts for its store.
ALTER TABLE tss ADD COLUMN replaced_by TEXT;
-- One operation on many terminals of a store at a time.
CREATE UNIQUE INDEX one_running_batch_per_store
    ON operations (store_id)
    WHERE status = 'running' AND kind IN ('replace_tss', 'generate_clients');
