-- Staff CPD reminders (see `app::reminders`): each organisation's reminder settings, a
-- record of each day's run, and a log of every reminder email. Whether a reminder was
-- already sent is the shared `notifications_sent` (one key per person, requirement, due
-- date and stage; per manager and week; per People member and week), written in the same
-- transaction as the email's outbox row. Portable SQL as everywhere.

-- An organisation's reminder settings; an organisation without a row uses the defaults
-- (digest on Mondays, escalation after 30 days overdue, emails from 08:00 London time).
CREATE TABLE reminder_settings (
    org_id               TEXT PRIMARY KEY REFERENCES organisations (id),
    digest_weekday       BIGINT NOT NULL CHECK (digest_weekday BETWEEN 1 AND 7), -- ISO: 1 Monday
    escalate_after_days  BIGINT NOT NULL CHECK (escalate_after_days BETWEEN 1 AND 365),
    send_hour            BIGINT NOT NULL CHECK (send_hour BETWEEN 0 AND 23),    -- London time
    paused_at            TEXT,            -- all reminders paused since; NULL: they run
    paused_by            TEXT REFERENCES users (id),
    updated_at           TEXT NOT NULL,
    updated_by           TEXT REFERENCES users (id)
);

-- One row per organisation and London day whose run finished: the People dashboard's
-- "last successful run", and how a later check that day knows it has nothing to do.
CREATE TABLE reminder_runs (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    day          TEXT NOT NULL,          -- the London day the run was for
    finished_at  TEXT NOT NULL,
    outcome      TEXT NOT NULL,          -- 'sent' or 'paused'
    emails       BIGINT NOT NULL,        -- emails queued by the run
    PRIMARY KEY (org_id, day)
);
CREATE INDEX reminder_runs_by_finish ON reminder_runs (org_id, finished_at);

-- Every reminder email queued, for the People department's reminder log. Whether it has
-- been sent, is waiting to be tried again or has failed (and why) is its outbox row's
-- state; an outbox row is deleted some days after sending, and then the email was sent.
CREATE TABLE reminder_log (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    recipient_id  TEXT NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL,     -- 'staff', 'manager-digest' or 'people-digest'
    day           TEXT NOT NULL,     -- the London day of the run that queued it
    week          TEXT NOT NULL,     -- ISO week of that day, e.g. 2026-W49
    summary       TEXT NOT NULL,     -- what it listed, in a few words
    outbox_id     TEXT NOT NULL,     -- no foreign key: sent outbox rows are purged
    queued_at     TEXT NOT NULL
);
CREATE INDEX reminder_log_by_week ON reminder_log (org_id, week, queued_at);
CREATE INDEX reminder_log_by_recipient ON reminder_log (org_id, recipient_id, queued_at);
