-- The tax-office notification (§ 146a (4) AO): what it asks of each POS terminal beyond its
-- serial number (dates as YYYY-MM-DD), each TSS's serial number and BSI certification ID as
-- fiskaly answers them, and each report marked as submitted with a fingerprint of every row
-- then (JSON), so that the next report marks what changed since.
ALTER TABLE terminals ADD COLUMN model TEXT;
ALTER TABLE terminals ADD COLUMN software TEXT;
ALTER TABLE terminals ADD COLUMN in_service_since TEXT;
ALTER TABLE terminals ADD COLUMN out_of_service_since TEXT;
ALTER TABLE tss ADD COLUMN serial_number TEXT;
ALTER TABLE tss ADD COLUMN bsi_certification_id TEXT;
CREATE TABLE report_submissions (
    id           INTEGER PRIMARY KEY,
    submitted_at BIGINT NOT NULL,
    submitted_by TEXT   NOT NULL,
    fingerprints TEXT   NOT NULL
);
