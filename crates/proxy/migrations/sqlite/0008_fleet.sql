-- The fleet at scale: each store keeps its readiness and counts, and each terminal whether it can
-- sign, so that a page of a filtered list and the fleet overview read a few index entries instead
-- of judging every store. The proxy writes these columns (`storage/store_status.rs`); the triggers
-- below only mark a store `status_stale` in the same transaction as the change that concerns it,
-- so that a status never stays stale unseen, even when a replica dies before restating it.
ALTER TABLE stores ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN readiness TEXT NOT NULL DEFAULT 'no_active_tss';
ALTER TABLE stores ADD COLUMN readiness_rank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN signing_terminals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN terminal_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN tss_states TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN status_stale INTEGER NOT NULL DEFAULT 1;
CREATE INDEX stores_by_readiness ON stores (readiness_rank, number);
CREATE INDEX stores_stale ON stores (id) WHERE status_stale = 1;

ALTER TABLE terminals ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE terminals ADD COLUMN list_key TEXT NOT NULL DEFAULT '';
ALTER TABLE terminals ADD COLUMN client_state TEXT;
ALTER TABLE terminals ADD COLUMN can_sign INTEGER NOT NULL DEFAULT 0;
CREATE INDEX terminals_in_order ON terminals (list_key, id);
CREATE INDEX terminals_of_store_in_order ON terminals (store_id, list_key, id);
CREATE INDEX terminals_by_signing ON terminals (can_sign, list_key, id);
CREATE INDEX terminals_by_client_state ON terminals (client_state, list_key, id);

-- Search for any part of a word ("strasse" in "hauptstrasse") through trigram indexes of the
-- folded search texts: FTS5 tables whose rowid is the store's or terminal's ID, kept by triggers.
CREATE VIRTUAL TABLE store_search USING fts5 (text, tokenize = 'trigram');
CREATE TRIGGER store_search_text_kept AFTER UPDATE OF search_text ON stores
WHEN OLD.search_text IS NOT NEW.search_text
BEGIN
    DELETE FROM store_search WHERE rowid = NEW.id;
    INSERT INTO store_search (rowid, text) VALUES (NEW.id, NEW.search_text);
END;
CREATE VIRTUAL TABLE terminal_search USING fts5 (text, tokenize = 'trigram');
-- In how many rows each trigram occurs: a word whose rarest trigram is common is found faster by
-- reading every row than through the index (`storage/filter.rs`).
CREATE VIRTUAL TABLE store_search_terms USING fts5vocab (store_search, 'row');
CREATE VIRTUAL TABLE terminal_search_terms USING fts5vocab (terminal_search, 'row');
CREATE TRIGGER terminal_search_text_kept AFTER UPDATE OF search_text ON terminals
WHEN OLD.search_text IS NOT NEW.search_text
BEGIN
    DELETE FROM terminal_search WHERE rowid = NEW.id;
    INSERT INTO terminal_search (rowid, text) VALUES (NEW.id, NEW.search_text);
END;

CREATE INDEX tss_by_state ON tss (state);
CREATE INDEX tss_with_error ON tss (tss_id) WHERE error_text IS NOT NULL;
CREATE INDEX tss_by_sync ON tss (last_synced_at);

CREATE TRIGGER tss_added_restates_store AFTER INSERT ON tss
BEGIN
    UPDATE stores SET status_stale = 1 WHERE id = NEW.store_id;
END;
-- A TSS's state also decides whether the terminals registered at it can sign.
CREATE TRIGGER tss_changed_restates_stores AFTER UPDATE OF state, store_id ON tss
WHEN OLD.state IS NOT NEW.state OR OLD.store_id IS NOT NEW.store_id
BEGIN
    UPDATE stores SET status_stale = 1
    WHERE id IN (OLD.store_id, NEW.store_id)
       OR id IN (SELECT t.store_id FROM clients c JOIN terminals t ON t.id = c.terminal_id
                 WHERE c.tss_id = NEW.tss_id);
END;
CREATE TRIGGER tss_removed_restates_store AFTER DELETE ON tss
BEGIN
    UPDATE stores SET status_stale = 1 WHERE id = OLD.store_id;
END;

CREATE TRIGGER client_added_restates_store AFTER INSERT ON clients
BEGIN
    UPDATE stores SET status_stale = 1
    WHERE id = (SELECT store_id FROM terminals WHERE id = NEW.terminal_id);
END;
CREATE TRIGGER client_changed_restates_store AFTER UPDATE OF state, terminal_id, tss_id ON clients
WHEN OLD.state IS NOT NEW.state OR OLD.terminal_id IS NOT NEW.terminal_id
  OR OLD.tss_id IS NOT NEW.tss_id
BEGIN
    UPDATE stores SET status_stale = 1
    WHERE id IN (SELECT store_id FROM terminals WHERE id IN (OLD.terminal_id, NEW.terminal_id));
END;
CREATE TRIGGER client_removed_restates_store AFTER DELETE ON clients
BEGIN
    UPDATE stores SET status_stale = 1
    WHERE id = (SELECT store_id FROM terminals WHERE id = OLD.terminal_id);
END;

CREATE TRIGGER terminal_added_restates_store AFTER INSERT ON terminals
BEGIN
    UPDATE stores SET status_stale = 1 WHERE id = NEW.store_id;
END;
CREATE TRIGGER terminal_changed_restates_stores
AFTER UPDATE OF store_id, number, name, serial_number ON terminals
BEGIN
    UPDATE stores SET status_stale = 1 WHERE id IN (OLD.store_id, NEW.store_id);
END;
CREATE TRIGGER terminal_removed_restates_store AFTER DELETE ON terminals
BEGIN
    UPDATE stores SET status_stale = 1 WHERE id = OLD.store_id;
END;
