-- Nudges: short reminders a cohort's tutor sends chosen learners through the outbox. A
-- nudge is one sending; its recipients are kept, so nobody is nudged twice within 24
-- hours, the learner's page lists the nudges they had, and the cohort page shows how many
-- of those nudged made progress within 7 days (until measure_until, sent_at + 7 days, in
-- the same text form so it compares as text on both databases).
-- Same portable SQL as the foundation.
CREATE TABLE nudges (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations (id),
    cohort_id      TEXT NOT NULL REFERENCES cohorts (id),
    sent_by        TEXT REFERENCES users (id),
    sent_at        TEXT NOT NULL,
    measure_until  TEXT NOT NULL
);
CREATE INDEX nudges_by_cohort ON nudges (cohort_id, sent_at);

CREATE TABLE nudge_recipients (
    nudge_id    TEXT NOT NULL REFERENCES nudges (id),
    learner_id  TEXT NOT NULL REFERENCES users (id),
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (nudge_id, learner_id)
);
CREATE INDEX nudge_recipients_by_learner ON nudge_recipients (learner_id, sent_at);

-- When the learner was last nudged: sending sets it only where it is empty or more than
-- 24 hours old, in one conditional UPDATE, so two tutors sending at once nudge once.
ALTER TABLE learner_records ADD COLUMN last_nudged_at TEXT;
