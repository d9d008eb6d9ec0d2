-- External courses (#13): a member of staff (or the People department on their behalf)
-- records a course taken elsewhere with its certificate file; the People department
-- verifies or rejects it. Only a verified course counts: verifying adds the
-- `training_completions` row (source 'external-course', reference = the course's id) in
-- the same transaction. All three tables are append-only (see `db::guards`): a rejected
-- course is recorded again as a new course with a new file.
-- Portable SQL as everywhere: TEXT ids, TEXT days and times, BIGINT numbers. The file's
-- bytes are BYTEA: PostgreSQL's byte string; SQLite keeps any type name and stores the
-- value as a blob.

-- Certificate files, kept in the database so every app server can serve them. The type
-- is the one read from the file's first bytes, never its name or the browser's word.
CREATE TABLE evidence_files (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    content_type  TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size_bytes    BIGINT NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
    file_name     TEXT NOT NULL,   -- as uploaded, without folders or control characters
    sha256        TEXT NOT NULL,   -- hex, of the bytes
    bytes         BYTEA NOT NULL,
    uploaded_by   TEXT NOT NULL REFERENCES users (id),
    uploaded_at   TEXT NOT NULL
);

-- A course as recorded: for whom, towards which requirement, and on what evidence.
CREATE TABLE external_courses (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    requirement_id  TEXT NOT NULL REFERENCES training_requirements (id),
    provider        TEXT NOT NULL,
    title           TEXT NOT NULL,
    completed_on    TEXT NOT NULL,   -- a day, never after the day it was recorded
    hours_tenths    BIGINT NOT NULL CHECK (hours_tenths > 0),  -- 7.5 hours is 75
    evidence_id     TEXT NOT NULL UNIQUE REFERENCES evidence_files (id),
    recorded_by     TEXT NOT NULL REFERENCES users (id),       -- the person, or People for them
    recorded_at     TEXT NOT NULL
);
CREATE INDEX external_courses_by_person ON external_courses (org_id, user_id, recorded_at);
CREATE INDEX external_courses_by_time ON external_courses (org_id, recorded_at);

-- The People department's decision on a course: one per course (UNIQUE), so two people
-- deciding at once cannot both count it. A course without a row is awaiting a check.
CREATE TABLE external_course_reviews (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations (id),
    course_id      TEXT NOT NULL UNIQUE REFERENCES external_courses (id),
    decision       TEXT NOT NULL CHECK (decision IN ('verified', 'rejected')),
    reason         TEXT,           -- why it was rejected; shown to the member of staff
    -- The completion verifying added. No foreign key: one would make PostgreSQL refuse a
    -- TRUNCATE of the completions for that reason before their own append-only guard.
    completion_id  TEXT,
    reviewed_by    TEXT NOT NULL REFERENCES users (id),
    reviewed_at    TEXT NOT NULL,
    CHECK (decision <> 'rejected' OR (reason IS NOT NULL AND TRIM(reason) <> '')),
    CHECK ((decision = 'verified') = (completion_id IS NOT NULL))
);
