-- The fleet at scale (the same as SQLite's 0008_fleet.sql, which says why): each store keeps its
-- readiness and counts, each terminal whether it can sign; triggers mark a store `status_stale`
-- in the same transaction as the change that concerns it.
-- Store numbers and the terminal list's key sort by their bytes, as on SQLite, whatever the
-- database's locale: "S-1" before "S-10", and every terminal of S-1 before those of S-10.
ALTER TABLE stores ALTER COLUMN number TYPE TEXT COLLATE "C";
ALTER TABLE stores ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN readiness TEXT NOT NULL DEFAULT 'no_active_tss';
ALTER TABLE stores ADD COLUMN readiness_rank BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN signing_terminals BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN terminal_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN tss_states TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN status_stale BIGINT NOT NULL DEFAULT 1;
CREATE INDEX stores_by_readiness ON stores (readiness_rank, number);
CREATE INDEX stores_stale ON stores (id) WHERE status_stale = 1;

ALTER TABLE terminals ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE terminals ADD COLUMN list_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE terminals ADD COLUMN client_state TEXT;
ALTER TABLE terminals ADD COLUMN can_sign BIGINT NOT NULL DEFAULT 0;
CREATE INDEX terminals_in_order ON terminals (list_key, id);
CREATE INDEX terminals_of_store_in_order ON terminals (store_id, list_key, id);
CREATE INDEX terminals_by_signing ON terminals (can_sign, list_key, id);
CREATE INDEX terminals_by_client_state ON terminals (client_state, list_key, id);

-- Search for any part of a word ("strasse" in "hauptstrasse"): trigram indexes that LIKE uses.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX stores_search ON stores USING gin (search_text gin_trgm_ops);
CREATE INDEX terminals_search ON terminals USING gin (search_text gin_trgm_ops);

CREATE INDEX tss_by_state ON tss (state);
CREATE INDEX tss_with_error ON tss (tss_id) WHERE error_text IS NOT NULL;
CREATE INDEX tss_by_sync ON tss (last_synced_at);

-- Every write here blocks on a restate that holds the store's row, and marks it again after.
CREATE FUNCTION tss_change_restates_stores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE stores SET status_stale = 1 WHERE id = OLD.store_id;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.state IS NOT DISTINCT FROM NEW.state AND OLD.store_id = NEW.store_id THEN
            RETURN NEW;
        END IF;
        -- A TSS's state also decides whether the terminals registered at it can sign.
        UPDATE stores SET status_stale = 1
        WHERE id = OLD.store_id
           OR id IN (SELECT t.store_id FROM clients c JOIN terminals t ON t.id = c.terminal_id
                     WHERE c.tss_id = NEW.tss_id);
    END IF;
    UPDATE stores SET status_stale = 1 WHERE id = NEW.store_id;
    RETURN NEW;
END $$;
CREATE TRIGGER tss_change_restates_stores AFTER INSERT OR UPDATE OR DELETE ON tss
    FOR EACH ROW EXECUTE FUNCTION tss_change_restates_stores();

CREATE FUNCTION client_change_restates_store() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.state IS NOT DISTINCT FROM NEW.state
       AND OLD.terminal_id = NEW.terminal_id AND OLD.tss_id = NEW.tss_id THEN
        RETURN NEW;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE stores SET status_stale = 1
        WHERE id = (SELECT store_id FROM terminals WHERE id = OLD.terminal_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE stores SET status_stale = 1
        WHERE id = (SELECT store_id FROM terminals WHERE id = NEW.terminal_id);
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER client_change_restates_store AFTER INSERT OR UPDATE OR DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION client_change_restates_store();

CREATE FUNCTION terminal_change_restates_stores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE stores SET status_stale = 1 WHERE id = OLD.store_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE stores SET status_stale = 1 WHERE id = NEW.store_id;
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER terminal_change_restates_stores
    AFTER INSERT OR DELETE OR UPDATE OF store_id, number, name, serial_number ON terminals
    FOR EACH ROW EXECUTE FUNCTION terminal_change_restates_stores();
