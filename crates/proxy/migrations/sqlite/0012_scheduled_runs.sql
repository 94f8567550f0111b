-- The nightly refresh: one row per local day it was started on, by whichever replica claimed it
-- first (the primary key lets only one claim a day).
CREATE TABLE scheduled_runs (
    day        TEXT   PRIMARY KEY,
    started_at BIGINT NOT NULL
);
