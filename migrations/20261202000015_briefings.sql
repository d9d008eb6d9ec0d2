-- Attended briefings, and the files imports keep waiting for their confirmation. Portable
-- SQL as everywhere: TEXT ids, TEXT days (2026-12-02) and times, BIGINT numbers.

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

-- A file waiting between an import's preview and its confirmation, for every import
-- (`kind`: 'hr-import', the HR import of staff; 'training-backfill', the back-fill of
-- historic completions): one per person, organisation and kind, replaced by each new
-- preview and deleted on confirmation or cancellation. Kept here, not in the session,
-- because the session row is read on every request and a file may be 1 MB. `mapping` is
-- the import's column mapping (JSON) while the file waits; NULL for an import without a
-- mapping step.
CREATE TABLE import_uploads (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL CHECK (kind IN ('hr-import', 'training-backfill')),
    file_name    TEXT NOT NULL,
    csv          TEXT NOT NULL,
    mapping      TEXT,
    uploaded_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id, kind)
);
