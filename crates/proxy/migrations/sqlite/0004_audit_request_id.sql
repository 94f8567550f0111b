-- fiskaly's request-id of the last answer an operation received, for fiskaly's support.
ALTER TABLE events ADD COLUMN fiskaly_request_id TEXT;
