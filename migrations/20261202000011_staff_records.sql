-- Staff records: what the People department keeps about each member of staff (anyone
-- with a role other than learner), edited on the person's record or by the HR import.
-- Portable SQL as everywhere: TEXT ids, calendar days as TEXT `YYYY-MM-DD`, times as TEXT.

-- One row per member of staff who has a record; a person without a row has no details yet.
-- A line manager is another person of the same organisation (the app checks the
-- organisation, that they have not left, and that no loop forms).
CREATE TABLE staff_records (
    user_id          TEXT PRIMARY KEY REFERENCES users (id),
    org_id           TEXT NOT NULL REFERENCES organisations (id),
    employee_number  TEXT,            -- optional; unique in the organisation when given
    job_title        TEXT NOT NULL DEFAULT '',
    department       TEXT NOT NULL DEFAULT '',
    start_date       TEXT,            -- calendar day
    line_manager_id  TEXT REFERENCES users (id),
    leaving_date     TEXT,            -- calendar day; on or before today: has left
    updated_at       TEXT NOT NULL,
    updated_by       TEXT REFERENCES users (id)
);
-- NULL employee numbers never clash (both databases treat NULLs as distinct here).
CREATE UNIQUE INDEX staff_records_by_employee_number ON staff_records (org_id, employee_number);
CREATE INDEX staff_records_by_manager ON staff_records (org_id, line_manager_id);
CREATE INDEX staff_records_by_department ON staff_records (org_id, department);

-- The column mapping an organisation last used for its HR export, offered next time.
CREATE TABLE staff_import_mappings (
    org_id      TEXT PRIMARY KEY REFERENCES organisations (id),
    mapping     TEXT NOT NULL,        -- JSON object: field -> column heading in the file
    updated_at  TEXT NOT NULL,
    updated_by  TEXT REFERENCES users (id)
);
