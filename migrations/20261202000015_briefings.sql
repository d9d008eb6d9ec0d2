-- Attended briefings, and the back-fill import's waiting file. Portable SQL as everywhere:
-- TEXT ids, TEXT days (2026-12-02) and times, BIGINT numbers.

-- A briefing the People department recorded: a team meeting or a safeguarding e-bulletin.
-- Who attended is not kept here: each attendee has a `training_completions` row (source
-- 'briefing', reference = this id), written in the same transaction. Append-only (see
-- `db::guards`): a mistake is put right by correcting the attendees' completions.
CREATE TABLE training_briefings (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    held_on         TEXT NOT NULL,   -- a day, never in the future when recorded
    title           TEXT NOT NULL,
    led_by          TEXT NOT NULL,   -- who led it, as typed (may be someone from outside)
    requirement_id  TEXT NOT NULL REFERENCES training_requirements (id),
    recorded_by     TEXT NOT NULL REFERENCES users (id),
    recorded_at     TEXT NOT NULL
);
CREATE INDEX training_briefings_by_org ON training_briefings (org_id, held_on);
-- Attendee counts and a briefing's attendees are read by reference.
CREATE INDEX training_completions_by_reference ON training_completions (org_id, source, reference);

-- The back-fill file waiting between its preview and its confirmation: one per person
-- and organisation, replaced by each new preview and deleted on confirmation. Kept here,
-- not in the session, because the session row is read on every request.
CREATE TABLE training_import_uploads (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    file_name    TEXT NOT NULL,
    csv          TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
