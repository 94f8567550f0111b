-- Each TSS's certificate as read from fiskaly (serial, notAfter, or that it could not be read),
-- and whether it had expired when last looked at; each store's first expiry among its TSS in
-- service, for the Store List's "certificate expires within 90 days" filter.
ALTER TABLE tss ADD COLUMN certificate_serial TEXT;
ALTER TABLE tss ADD COLUMN certificate_not_after INTEGER;
ALTER TABLE tss ADD COLUMN certificate_unreadable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tss ADD COLUMN certificate_expired INTEGER NOT NULL DEFAULT 0;
-- The certificates still to expire, in the order they will.
CREATE INDEX tss_certificates_to_expire ON tss (certificate_not_after)
    WHERE certificate_expired = 0 AND certificate_not_after IS NOT NULL;
ALTER TABLE stores ADD COLUMN certificate_expires_at INTEGER;
CREATE INDEX stores_by_certificate_expiry ON stores (certificate_expires_at, number)
    WHERE certificate_expires_at IS NOT NULL;
-- The readiness 'certificate_expired' sorts second, after 'no_active_tss'.
UPDATE stores SET readiness_rank = readiness_rank + 1 WHERE readiness_rank >= 1;
-- A TSS's certificate decides, as its state does, whether its terminals can sign.
CREATE TRIGGER tss_certificate_restates_stores
AFTER UPDATE OF certificate_not_after, certificate_expired ON tss
WHEN OLD.certificate_not_after IS NOT NEW.certificate_not_after
  OR OLD.certificate_expired IS NOT NEW.certificate_expired
BEGIN
    UPDATE stores SET status_stale = 1
    WHERE id = NEW.store_id
       OR id IN (SELECT t.store_id FROM clients c JOIN terminals t ON t.id = c.terminal_id
                 WHERE c.tss_id = NEW.tss_id);
END;
