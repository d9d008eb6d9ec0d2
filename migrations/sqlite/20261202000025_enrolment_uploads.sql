-- A file of learners to enrol waits for its confirmation in import_uploads like every
-- import: the kinds allowed gain 'cohort-enrolment'. SQLite cannot change a CHECK, so the
-- table is rebuilt with its rows.
CREATE TABLE import_uploads_new (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL CHECK (kind IN ('hr-import', 'training-backfill', 'cohort-enrolment')),
    file_name    TEXT NOT NULL,
    csv          TEXT NOT NULL,
    mapping      TEXT,
    uploaded_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id, kind)
);
INSERT INTO import_uploads_new (org_id, user_id, kind, file_name, csv, mapping, uploaded_at)
    SELECT org_id, user_id, kind, file_name, csv, mapping, uploaded_at FROM import_uploads;
DROP TABLE import_uploads;
ALTER TABLE import_uploads_new RENAME TO import_uploads;
