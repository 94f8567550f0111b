-- The user account an event concerns (user management through the API).
ALTER TABLE events ADD COLUMN account TEXT;
