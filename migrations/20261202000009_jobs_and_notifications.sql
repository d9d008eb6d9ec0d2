-- Scheduled jobs shared by every app server, and a record of notifications already sent.
-- Portable SQL as everywhere: TEXT times in the app's fixed UTC format, BIGINT counters.

-- One row per job (see `app::jobs`). A server runs a job only after taking its lease with
-- one conditional UPDATE, so one server runs each due job; a lease left by a server that
-- died simply runs out and another server takes the job over.
CREATE TABLE jobs (
    name                TEXT PRIMARY KEY,
    created_at          TEXT NOT NULL,
    next_run_at         TEXT NOT NULL,
    held_by             TEXT,            -- the server running it now, if any
    lease_until         TEXT,            -- its lease; after this anyone may take over
    last_success_at     TEXT,
    last_error          TEXT,
    last_error_at       TEXT,
    failures            BIGINT NOT NULL DEFAULT 0,  -- errors since the last success
    late_after_seconds  BIGINT NOT NULL  -- /healthz reports the job when no success for this long
);

-- Each notification sent once: a row per recipient, kind, subject and period (a day, an
-- ISO week), inserted in the same transaction as the email it allows.
CREATE TABLE notifications_sent (
    recipient_id  TEXT NOT NULL,       -- a user id
    org_id        TEXT REFERENCES organisations (id),
    kind          TEXT NOT NULL,       -- e.g. 'policy-reminder'
    subject       TEXT NOT NULL,       -- what it is about, e.g. a policy kind or version id
    period        TEXT NOT NULL,       -- e.g. 2026-12-02 or 2026-W49
    sent_at       TEXT NOT NULL,
    PRIMARY KEY (recipient_id, kind, subject, period)
);

-- Reminders from the report's button move here. Copying today's rows keeps the rule "one
-- reminder per person, policy and day" across the upgrade; policy_reminders stays, unused,
-- as history.
INSERT INTO notifications_sent (recipient_id, org_id, kind, subject, period, sent_at)
SELECT user_id, org_id, 'policy-reminder', kind, sent_on, sent_on || 'T00:00:00.000000Z'
FROM policy_reminders;
